import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';

export interface CalibrationBar {
  label: string;
  /** α (−1…1), or null when undefined (drawn as a dash). */
  value: number | null;
  low: number | null;
  high: number | null;
  trusted: boolean;
}

/**
 * α per slice with its 95% interval as a whisker and the trust threshold as a labelled dashed line; plain SVG.
 * Mirrored in a right-to-left context (the scale then grows leftwards, as the text reads).
 */
@customElement('cs-calibration-chart')
export class CsCalibrationChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    svg {
      inline-size: 100%;
      max-inline-size: 48rem;
      block-size: auto;
      font: 12px var(--cs-font);
    }
    .bar {
      fill: var(--cs-warn);
    }
    .bar.trusted {
      fill: var(--cs-accent);
    }
    .ci {
      stroke: var(--cs-text);
      stroke-width: 1.5;
    }
    .axis {
      stroke: var(--cs-border-strong);
    }
    .threshold {
      stroke: var(--cs-danger);
      stroke-dasharray: 4 3;
    }
    .threshold-label {
      fill: var(--cs-danger);
      font-size: 11px;
    }
    text {
      fill: var(--cs-text);
    }
  `;

  @property({ attribute: false }) bars: CalibrationBar[] = [];
  @property({ type: Number }) threshold = 0.667;
  /** The threshold line's label, e.g. "Trusted from α ≥ 0.667". */
  @property() thresholdLabel = '';
  @property() heading = '';

  override render() {
    const rtl = getComputedStyle(this).direction === 'rtl';
    const row = 24;
    const labelWidth = 170;
    const width = 560;
    const plot = width - labelWidth - 60;
    const top = 18;
    const height = this.bars.length * row + top + 8;
    // −0.5…1 onto the plot (α below −0.5 is drawn at −0.5); mirrored for right-to-left.
    const at = (v: number) => labelWidth + ((Math.min(1, Math.max(-0.5, v)) + 0.5) / 1.5) * plot;
    const x = (v: number) => (rtl ? width - at(v) : at(v));
    const labelX = rtl ? width : 0;
    const anchor = rtl ? 'end' : 'start';
    return html`<svg
      viewBox="0 0 ${width} ${height}"
      role="img"
      aria-label=${`${this.heading}; ${this.thresholdLabel}`}
    >
      <line class="axis" x1=${x(0)} x2=${x(0)} y1=${top - 4} y2=${height} />
      <line class="threshold" x1=${x(this.threshold)} x2=${x(this.threshold)} y1=${top - 6} y2=${height} />
      <text class="threshold-label" x=${x(this.threshold)} y="11" text-anchor="middle">
        ${this.thresholdLabel}
      </text>
      ${this.bars.map((b, i) => {
        const y = top + i * row + 4;
        const v = b.value;
        const label = svg`<text x=${labelX} y=${y + 13} text-anchor=${anchor}>${b.label}</text>`;
        if (v === null)
          return svg`${label}<text x=${x(0) + (rtl ? -4 : 4)} y=${y + 13} text-anchor=${anchor}>—</text>`;
        const whisker =
          b.low === null || b.high === null
            ? svg``
            : svg`<line class="ci" x1=${x(b.low)} x2=${x(b.high)} y1=${y + 8} y2=${y + 8} />
                <line class="ci" x1=${x(b.low)} x2=${x(b.low)} y1=${y + 3} y2=${y + 13} />
                <line class="ci" x1=${x(b.high)} x2=${x(b.high)} y1=${y + 3} y2=${y + 13} />`;
        const end = Math.max(v, b.high ?? v);
        return svg`${label}
          <rect class="bar ${b.trusted ? 'trusted' : ''}" x=${Math.min(x(0), x(v))} y=${y} width=${Math.abs(x(v) - x(0))}
            height=${row - 8} />
          ${whisker}
          <text x=${x(end) + (rtl ? -6 : 6)} y=${y + 13} text-anchor=${anchor}>${v.toFixed(3)}</text>`;
      })}
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-calibration-chart': CsCalibrationChart;
  }
}
