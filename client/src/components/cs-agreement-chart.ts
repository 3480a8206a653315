import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** A labelled vertical line (a threshold) across the plot. */
export interface ChartMark {
  value: number;
  label: string;
}

export interface ChartBar {
  label: string;
  /** −1…1 (α, κ) or 0…1 (percent agreement); null = undefined, drawn as a gap. */
  value: number | null;
}

/**
 * A horizontal bar chart of agreement coefficients in plain SVG, with a zero line and labelled threshold lines
 * (by default the 0.667 and 0.8 marks Krippendorff suggests for tentative and reliable conclusions).
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
    .mark-label {
      fill: var(--cs-muted);
      font-size: 11px;
    }
    text {
      fill: var(--cs-text);
    }
  `;

  @property({ attribute: false }) bars: ChartBar[] = [];
  @property({ attribute: false }) marks: ChartMark[] = [
    { value: 0.667, label: '0.667' },
    { value: 0.8, label: '0.8' },
  ];
  @property() heading = '';

  override render() {
    const row = 22;
    const labelWidth = 110;
    const width = 420;
    const plot = width - labelWidth - 50;
    // −1…1 mapped onto the plot, zero in the middle third so negative α stays visible but small.
    const x = (v: number) => labelWidth + ((Math.max(-0.5, v) + 0.5) / 1.5) * plot;
    // A strip on top for the marks' labels: the first reads leftwards from its line, the others rightwards,
    // so two close lines (0.667 and 0.8) keep their labels apart.
    const top = 16;
    const height = this.bars.length * row + 10 + top;
    const marks = this.marks.map((m) => `${m.label} (${m.value})`).join(', ');
    return html`<svg
      viewBox="0 0 ${width} ${height}"
      role="img"
      aria-label=${marks ? `${this.heading}; ${marks}` : this.heading}
    >
      ${this.marks.map(
        (m, i) =>
          svg`<line class="mark" x1=${x(m.value)} x2=${x(m.value)} y1=${top - 4} y2=${height} />
            <text class="mark-label" x=${x(m.value) + (i === 0 ? -3 : 3)} y="11"
              text-anchor=${i === 0 ? 'end' : 'start'}>${m.label} ${m.value}</text>`,
      )}
      <line class="axis" x1=${x(0)} x2=${x(0)} y1=${top - 4} y2=${height} />
      ${this.bars.map((b, i) => {
        const y = top + i * row + 4;
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
