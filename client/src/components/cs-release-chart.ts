import { LitElement, css, html, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ReleaseCounts } from '../../../schema/release.ts';
import type { TaxonomyNode } from '../../../schema/taxonomy.ts';
import { taxonomyNodes } from '../data/taxonomies.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { categoryLabel } from '../i18n/labels.ts';
import { shared } from '../styles/shared.ts';

const CELL_W = 56;
const CELL_H = 22;
const HEAD_H = 24;

/** Items by language × category as an SVG grid: one cell per pair, darker for more items. */
@customElement('cs-release-chart')
export class CsReleaseChart extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        overflow-x: auto;
      }
      svg {
        font-size: 11px;
        font-family: var(--cs-font);
      }
      .count {
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ attribute: false }) counts: ReleaseCounts | null = null;
  @state() private _nodes = new Map<string, TaxonomyNode>();
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void taxonomyNodes()
      .then((nodes) => (this._nodes = nodes))
      .catch(() => {});
  }

  override render() {
    const c = this.counts;
    if (!c || c.total === 0) return html``;
    const max = Math.max(...c.cells.map((x) => x[2]));
    const at = new Map(c.cells.map(([l, cat, n]) => [`${l}\u0000${cat}`, n]));
    // Room for the longest category label (about 6.5 px per character at 11 px).
    const label = (cat: string) => categoryLabel(this._nodes, cat);
    const LABEL_W = 12 + 6.5 * Math.max(4, ...c.categories.map((x) => label(x).length));
    const width = LABEL_W + c.languages.length * CELL_W;
    const height = HEAD_H + c.categories.length * CELL_H;
    return html`<figure>
      <figcaption class="label">${msg('releaseChart')}</figcaption>
      <svg width=${width} height=${height} role="img" aria-label=${msg('releaseChart')}>
        ${c.languages.map(
          (l, i) =>
            svg`<text x=${LABEL_W + i * CELL_W + CELL_W / 2} y=${HEAD_H - 8} text-anchor="middle">${l}</text>`,
        )}
        ${c.categories.map((cat, j) => {
          const y = HEAD_H + j * CELL_H;
          return svg`<text x=${LABEL_W - 6} y=${y + CELL_H / 2 + 4} text-anchor="end">${label(cat)}</text>
            ${c.languages.map((l, i) => {
              const n = at.get(`${l}\u0000${cat}`) ?? 0;
              const shade = n === 0 ? 0 : 0.15 + 0.85 * (n / max);
              return svg`<rect x=${LABEL_W + i * CELL_W + 1} y=${y + 1} width=${CELL_W - 2} height=${CELL_H - 2} rx="3"
                  fill="var(--cs-accent, #1f6f64)" fill-opacity=${shade}><title>${l} · ${label(cat)}: ${n}</title></rect>
                <text class="count" x=${LABEL_W + i * CELL_W + CELL_W / 2} y=${y + CELL_H / 2 + 4} text-anchor="middle"
                  fill=${shade > 0.55 ? '#fff' : 'currentColor'}>${n || ''}</text>`;
            })}`;
        })}
      </svg>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-release-chart': CsReleaseChart;
  }
}
