import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';

export interface ChartBar {
  label: string;
  /** −1…1 (α, κ) or 0…1 (percent agreement); null = undefined, drawn as a gap. */
  value: number | null;
}

/**
 * A horizontal bar chart of agreement coefficients in plain SVG, with a zero line and the 0.667 and
 * 0.8 marks Krippendorff suggests for tentative and reliable conclusions.
 */
@customElement('cs-agreement-chart')
export class CsAgreementChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    svg {
      inline-size: 100%;
      block-size: auto;
      font: 12px var(--cs-font);
    }
    .bar {
      fill: var(--cs-accent);
    }
    .bar.low {
      fill: var(--cs-warn);
    }
    .bar.negative {
      fill: var(--cs-danger);
    }
    .axis {
      stroke: var(--cs-border-strong);
    }
    .mark {
      stroke: var(--cs-muted);
      stroke-dasharray: 3 3;
    }
    text {
      fill: var(--cs-text);
    }
  `;

  @property({ attribute: false }) bars: ChartBar[] = [];
  @property() heading = '';

  override render() {
    const row = 22;
    const labelWidth = 110;
    const width = 420;
    const plot = width - labelWidth - 50;
    // −1…1 mapped onto the plot, zero in the middle third so negative α stays visible but small.
    const x = (v: number) => labelWidth + ((Math.max(-0.5, v) + 0.5) / 1.5) * plot;
    const height = this.bars.length * row + 10;
    return html`<svg viewBox="0 0 ${width} ${height}" role="img" aria-label=${this.heading}>
      ${[0.667, 0.8].map((m) => svg`<line class="mark" x1=${x(m)} x2=${x(m)} y1="0" y2=${height} />`)}
      <line class="axis" x1=${x(0)} x2=${x(0)} y1="0" y2=${height} />
      ${this.bars.map((b, i) => {
        const y = i * row + 4;
        const v = b.value;
        const cls = v === null ? '' : v < 0 ? 'negative' : v < 0.667 ? 'low' : '';
        return svg`<text x="0" y=${y + 13}>${b.label}</text>
          ${
            v === null
              ? svg`<text x=${x(0) + 4} y=${y + 13} class="muted">—</text>`
              : svg`<rect class="bar ${cls}" x=${Math.min(x(0), x(v))} y=${y} width=${Math.abs(x(v) - x(0))} height=${row - 8} />
                 <text x=${Math.max(x(0), x(v)) + 4} y=${y + 13}>${v.toFixed(3)}</text>`
          }`;
      })}
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-agreement-chart': CsAgreementChart;
  }
}
