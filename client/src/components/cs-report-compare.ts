import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TaxonomyNode } from '../../../schema/taxonomy.ts';
import {
  comparedMetrics,
  type ComparedMetric,
  type RunComparison,
  type ScoringReport,
} from '../../../schema/scoring.ts';
import { errorText } from '../data/api.ts';
import { comparisonExportUrl, loadComparison } from '../data/comparisons.ts';
import { I18nController, languageName, msg, type MessageKey } from '../i18n/index.ts';
import { categoryLabel } from '../i18n/labels.ts';
import { shared } from '../styles/shared.ts';
import { differenceText, significanceLabel, smallSampleLabel } from './report-figures.ts';
import { reportTableStyles } from './report-table-styles.ts';

const MEASURE_LABEL: Record<ComparedMetric, MessageKey> = {
  accuracy: 'colAccuracy',
  ratedCorrectness: 'colRated',
  culturalAlignment: 'colCultural',
  languageQuality: 'colQuality',
  unsafeRate: 'colUnsafe',
  overRefusalRate: 'colOverRefusal',
};
/** Differences of proportions read in points; of mean ratings (1–5, or correctness 0–1) as they are. */
const PERCENT: Record<ComparedMetric, boolean> = {
  accuracy: true,
  ratedCorrectness: false,
  culturalAlignment: false,
  languageQuality: false,
  unsafeRate: true,
  overRefusalRate: true,
};

/** Two runs of a release compared item by item: A − B per slice and measure, with interval and p-values. */
@customElement('cs-report-compare')
export class CsReportCompare extends LitElement {
  static override styles = [
    shared,
    reportTableStyles,
    css`
      :host {
        display: grid;
        gap: 0.8rem;
      }
      th,
      td:not(:last-child) {
        white-space: nowrap;
      }
      td:last-child {
        min-inline-size: 14rem;
        word-break: keep-all;
      }
      .row {
        display: flex;
        gap: 0.8rem;
        align-items: end;
        flex-wrap: wrap;
      }
    `,
  ];

  @property({ type: Number }) releaseId = 0;
  @property({ attribute: false }) models: ScoringReport['models'] = [];
  @property({ attribute: false }) nodes = new Map<string, TaxonomyNode>();
  @state() private _a = 0;
  @state() private _b = 0;
  @state() private _comparison: RunComparison | null = null;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('models') && !this.models.some((m) => m.runId === this._a)) {
      this._a = this.models[0]?.runId ?? 0;
      this._b = this.models[1]?.runId ?? 0;
      this._comparison = null;
    }
  }

  private async _compare() {
    this._error = null;
    try {
      this._comparison = await loadComparison(this.releaseId, this._a, this._b);
    } catch (err) {
      this._comparison = null;
      this._error = errorText(err);
    }
  }

  private _picker(id: string, label: string, value: number, set: (v: number) => void) {
    return html`<div>
      <label for=${id}>${label}</label>
      <select id=${id} @change=${(e: Event) => set(Number((e.target as HTMLSelectElement).value))}>
        ${this.models.map(
          (m) =>
            html`<option value=${m.runId} ?selected=${m.runId === value}>
              ${m.modelName} (#${m.runId})
            </option>`,
        )}
      </select>
    </div>`;
  }

  private _slice(language: string, category: string) {
    if (language === '*' && category === '*') return msg('groupOverall');
    return language !== '*' ? languageName(language) : categoryLabel(this.nodes, category);
  }

  override render() {
    const c = this._comparison;
    return html`<h2>${msg('compareTitle')}</h2>
      <p class="muted">${msg('compareIntro')}</p>
      <div class="row">
        ${this._picker('run-a', msg('compareModelA'), this._a, (v) => (this._a = v))}
        ${this._picker('run-b', msg('compareModelB'), this._b, (v) => (this._b = v))}
        <button class="primary" ?disabled=${!this._a || !this._b} @click=${() => this._compare()}>
          ${msg('compareRun')}
        </button>
        ${
          c
            ? html`<a href=${comparisonExportUrl(this.releaseId, c.a.runId, c.b.runId, 'csv')} download
                  >${msg('exportCsv')}</a
                >
                <a href=${comparisonExportUrl(this.releaseId, c.a.runId, c.b.runId, 'json')} download
                  >${msg('exportJson')}</a
                >`
            : nothing
        }
      </div>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
      ${
        c
          ? html`<p>${msg('compareHeading', { a: c.a.modelName, b: c.b.modelName })}</p>
              <div class="scroll" tabindex="0">
                <table>
                  <thead>
                    <tr>
                      <th>${msg('compareSlice')}</th>
                      <th>${msg('compareMeasure')}</th>
                      <th>${msg('compareResult')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${c.slices.flatMap((s) =>
                      comparedMetrics
                        .filter((m) => s.differences[m].n > 0)
                        .map((m) => {
                          const d = s.differences[m];
                          return html`<tr>
                            <td>${this._slice(s.language, s.category)}</td>
                            <td>${msg(MEASURE_LABEL[m])}</td>
                            <td>
                              ${differenceText(d, PERCENT[m])} ${significanceLabel(d.pHolm)}
                              ${smallSampleLabel(d.n)}
                            </td>
                          </tr>`;
                        }),
                    )}
                  </tbody>
                </table>
              </div>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-report-compare': CsReportCompare;
  }
}
