import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Estimate } from '../../../schema/scoring.ts';

export interface ChartBar {
  label: string;
  estimate: Estimate;
}

/** Horizontal bars (0–1) with their 95% intervals as whiskers; SVG, no library. */
@customElement('cs-report-chart')
export class CsReportChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    svg {
      inline-size: 100%;
      max-inline-size: 44rem;
      block-size: auto;
      font: 12px var(--cs-font);
    }
    .bar {
      fill: var(--cs-accent);
      opacity: 0.75;
    }
    .ci {
      stroke: var(--cs-text);
      stroke-width: 1.5;
    }
    text {
      fill: var(--cs-text);
    }
  `;

  @property({ attribute: false }) bars: ChartBar[] = [];
  @property() caption = '';

  override render() {
    const row = 22;
    const left = 180;
    const width = 420;
    const height = this.bars.length * row + 20;
    const x = (v: number) => left + v * width;
    return html`<svg viewBox="0 0 ${left + width + 60} ${height}" role="img" aria-label=${this.caption}>
      ${this.bars.map((b, i) => {
        const y = i * row + 4;
        const e = b.estimate;
        if (e.value === null)
          return svg`<text x="0" y=${y + 13}>${b.label}</text><text x=${left} y=${y + 13}>–</text>`;
        return svg`<text x="0" y=${y + 13}>${b.label}</text>
          <rect class="bar" x=${left} y=${y} width=${e.value * width} height=${row - 8}></rect>
          <line class="ci" x1=${x(e.low ?? e.value)} x2=${x(e.high ?? e.value)} y1=${y + 7} y2=${y + 7}></line>
          <text x=${x(1) + 6} y=${y + 13}>${(e.value * 100).toFixed(1)}%</text>`;
      })}
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-report-chart': CsReportChart;
  }
}
