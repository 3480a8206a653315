import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { itemStatuses } from '../../../schema/item.ts';
import {
  agreementQuestions,
  type AgreementReport,
  type QuestionAgreement,
} from '../../../schema/validation.ts';
import { agreementCsvUrl, agreementReport } from '../data/validation.ts';
import type { TaxonomyNode } from '../../../schema/taxonomy.ts';
import type { User } from '../../../schema/user.ts';
import { taxonomyNodes } from '../data/taxonomies.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { categoryLabel } from '../i18n/labels.ts';
import './cs-language-picker.ts';
import { shared } from '../styles/shared.ts';
import './cs-agreement-chart.ts';
import './cs-dataset-picker.ts';
import { renderTask } from './task-status.ts';
import { userContext } from '../context.ts';

const fmt = (x: number | null, digits = 3) => (x === null ? '—' : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/**
 * Below this many items a row's coefficients are flagged: α and κ swing widely on small samples, and with nearly
 * every answer the same (few disagreements possible) α can sit at 0 beside a high percent agreement.
 */
export const SMALL_SAMPLE = 30;

/** The coefficient columns of the question table, each with the explanation its header shows on hover or focus. */
const coefficientColumns = [
  { id: 'alpha', label: () => 'α', help: () => msg('agHelpAlpha') },
  { id: 'alpha-interval', label: () => `α ${msg('agInterval')}`, help: () => msg('agHelpAlphaInterval') },
  { id: 'fleiss', label: () => 'κ Fleiss', help: () => msg('agHelpFleiss') },
  { id: 'cohen', label: () => 'κ Cohen', help: () => msg('agHelpCohen') },
  { id: 'percent', label: () => '%', help: () => msg('agHelpPercent') },
] as const;

/** The agreement dashboard: α and κ per question × language × category, annotators, coverage. */
@customElement('cs-agreement-page')
export class CsAgreementPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      .charts {
        display: grid;
        gap: 1rem;
        grid-template-columns: repeat(auto-fit, minmax(min(22rem, 100%), 1fr));
      }
      table {
        inline-size: 100%;
        border-collapse: collapse;
        font-size: 0.85rem;
      }
      th,
      td {
        text-align: end;
        padding: 0.3rem 0.45rem;
        border-block-end: 1px solid var(--cs-border);
        font-variant-numeric: tabular-nums;
        vertical-align: baseline;
      }
      /* Header and cells of a column share one alignment: text at the start, numbers at the end. */
      th:first-child,
      td:first-child,
      th.text,
      td.text {
        text-align: start;
      }
      th {
        position: relative;
        white-space: nowrap;
      }
      .term {
        border-block-end: 1px dotted currentColor;
        cursor: help;
      }
      .term:focus-visible {
        outline: 2px solid var(--cs-focus);
        outline-offset: 2px;
      }
      [role='tooltip'] {
        display: none;
        position: absolute;
        inset-block-start: 100%;
        inset-inline-end: 0;
        z-index: 2;
        inline-size: max-content;
        max-inline-size: 18rem;
        padding: 0.45rem 0.6rem;
        border-radius: var(--cs-radius);
        background: var(--cs-text);
        color: var(--cs-surface);
        font-weight: 400;
        text-align: start;
        white-space: normal;
      }
      .term:hover + [role='tooltip'],
      .term:focus + [role='tooltip'] {
        display: block;
      }
      tr.small td {
        color: var(--cs-muted);
      }
      .small-mark {
        color: var(--cs-warn);
        margin-inline-end: 0.25rem;
      }
      .scroll {
        overflow-x: auto;
      }
      /* A grid item may be narrower than its content (its tables scroll inside): no sideways page on a phone. */
      :host > * {
        min-inline-size: 0;
      }
      .filters {
        display: flex;
        gap: 0.75rem;
        align-items: end;
        flex-wrap: wrap;
      }
    `,
  ];

  /** The signed-in user (provided by cs-app). */
  @consume({ context: userContext, subscribe: true }) @state() private _user!: User;
  @state() private _dataset: number | null = null;
  @state() private _language = '';
  @state() private _nodes = new Map<string, TaxonomyNode>();
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    if (this._user.role === 'reviewer' && !this._language) this._language = this._user.languages[0] ?? '';
    void taxonomyNodes()
      .then((nodes) => (this._nodes = nodes))
      .catch(() => {});
  }

  /** The report of the dataset and language picked; a new choice aborts the request for the one before. */
  private readonly _report = new Task(this, {
    task: ([dataset, language], { signal }) =>
      agreementReport(dataset ?? 0, language || undefined, { signal }),
    args: () => [this._dataset, this._language] as const,
    autoRun: false,
  });

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if ((changed.has('_dataset') || changed.has('_language')) && this._dataset !== null)
      void this._report.run();
  }

  private _questionTable(rows: QuestionAgreement[]) {
    const small = rows.some((r) => r.units < SMALL_SAMPLE);
    return html`${
        small
          ? html`<p class="notice warn" id="small-sample">${msg('agSmallSample', { min: SMALL_SAMPLE })}</p>`
          : nothing
      }
      <div class="scroll" tabindex="0" role="region" aria-label=${msg('agQuestionsTable')}>
        <table id="question-table">
          <thead>
            <tr>
              <th class="text">${msg('agQuestion')}</th>
              <th class="text">${msg('colLanguage')}</th>
              <th class="text">${msg('colCategory')}</th>
              <th>${msg('agUnits')}</th>
              ${coefficientColumns.map(
                (c) =>
                  html`<th>
                    <span class="term" tabindex="0" aria-describedby="help-${c.id}">${c.label()}</span>
                    <span role="tooltip" id="help-${c.id}">${c.help()}</span>
                  </th>`,
              )}
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr class=${r.units < SMALL_SAMPLE ? 'small' : ''}>
                  <td class="text">${msg(`agQ_${r.question}`)}</td>
                  <td class="text">${r.language}</td>
                  <td class="text">${categoryLabel(this._nodes, r.category)}</td>
                  <td>
                    ${
                      r.units < SMALL_SAMPLE
                        ? html`<span class="small-mark" title=${msg('agFewItems')}
                            >⚠<span class="visually-hidden">${msg('agFewItems')}</span></span
                          >`
                        : nothing
                    }${r.units}
                  </td>
                  <td>${fmt(r.alpha)}</td>
                  <td>${fmt(r.alphaInterval)}</td>
                  <td>${fmt(r.fleissKappa)}</td>
                  <td>${fmt(r.cohenKappa)}</td>
                  <td>${pct(r.percentAgreement)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  /** Krippendorff's lines: 0.667 for tentative conclusions, 0.8 for reliable ones. */
  private _marks() {
    return [
      { value: 0.667, label: msg('agMarkTentative') },
      { value: 0.8, label: msg('agMarkReliable') },
    ];
  }

  private _coverage(report: AgreementReport) {
    const rows = [...new Set(report.coverage.map((c) => `${c.language}\u0000${c.category}`))];
    const count = (key: string, status: string) =>
      report.coverage.find((c) => `${c.language}\u0000${c.category}` === key && c.status === status)?.count ??
      0;
    return html`<div class="scroll" tabindex="0" role="region" aria-label=${msg('agCoverageTable')}>
      <table id="coverage-table">
        <thead>
          <tr>
            <th class="text">${msg('colLanguage')} · ${msg('colCategory')}</th>
            ${itemStatuses.map((s) => html`<th>${msg(`status_${s}`)}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${rows.map((key) => {
            const [language, category] = key.split('\u0000');
            return html`<tr>
              <td>${language} · ${categoryLabel(this._nodes, category ?? '')}</td>
              ${itemStatuses.map((s) => html`<td>${count(key, s) || ''}</td>`)}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const csv = (table: string) =>
      this._dataset === null ? '#' : agreementCsvUrl(this._dataset, table, this._language || undefined);
    return html`<h1>${msg('agTitle')}</h1>
      <div class="filters">
        <cs-dataset-picker
          select-id="ag-dataset"
          .value=${this._dataset}
          @dataset-change=${(e: CustomEvent<number | null>) => (this._dataset = e.detail)}
        ></cs-dataset-picker>
        <cs-language-picker
          id="ag-language"
          .label=${msg('filterLanguage')}
          .emptyLabel=${msg('filterAny')}
          .value=${this._language ? [this._language] : []}
          @value-change=${(e: CustomEvent<string[]>) => (this._language = e.detail[0] ?? '')}
        ></cs-language-picker>
        <a href=${csv('questions')} download>${msg('agCsv', { table: msg('agQuestionsTable') })}</a>
        <a href=${csv('annotators')} download>${msg('agCsv', { table: msg('agAnnotatorsTable') })}</a>
        <a href=${csv('coverage')} download>${msg('agCsv', { table: msg('agCoverageTable') })}</a>
      </div>
      ${renderTask(this._report, (report) => this._body(report))}`;
  }

  private _body(report: AgreementReport) {
    const overall = report.questions.filter((q) => q.language === '*');
    const perLanguage = report.questions.filter(
      (q) => q.language !== '*' && q.category === '*' && q.question === 'correct',
    );
    return html`<div class="charts">
        <section class="card">
          <h2>${msg('agAlphaByQuestion')}</h2>
          <cs-agreement-chart
            heading=${msg('agAlphaByQuestion')}
            .marks=${this._marks()}
            .bars=${agreementQuestions.map((q) => ({
              label: msg(`agQ_${q}`),
              value: overall.find((r) => r.question === q)?.alpha ?? null,
            }))}
          ></cs-agreement-chart>
        </section>
        <section class="card">
          <h2>${msg('agAlphaByLanguage')}</h2>
          <cs-agreement-chart
            heading=${msg('agAlphaByLanguage')}
            .marks=${this._marks()}
            .bars=${perLanguage.map((r) => ({ label: r.language, value: r.alpha }))}
          ></cs-agreement-chart>
        </section>
      </div>
      <section class="card">
        <h2>${msg('agQuestionsTable')}</h2>
        ${this._questionTable(report.questions)}
      </section>
      <section class="card">
        <h2>${msg('agAnnotatorsTable')}</h2>
        <div class="scroll" tabindex="0" role="region" aria-label=${msg('agAnnotatorsTable')}>
          <table id="annotator-table">
            <thead>
              <tr>
                <th class="text">${msg('reviewValidator')}</th>
                <th>${msg('agValidations')}</th>
                <th>${msg('agWithFinal')}</th>
                <th>${msg('agGold')}</th>
                <th>κ ${msg('vGrounded')}</th>
                <th>κ ${msg('vCorrect')}</th>
                <th>${msg('agMedianTime')}</th>
              </tr>
            </thead>
            <tbody>
              ${report.annotators.map(
                (a) =>
                  html`<tr>
                    <td class="text" dir="auto">${a.name}</td>
                    <td>${a.validations}</td>
                    <td>${pct(a.agreementWithFinal)} (${a.decided})</td>
                    <td>${pct(a.goldAccuracy)} (${a.goldValidations})</td>
                    <td>${fmt(a.kappaGrounded)}</td>
                    <td>${fmt(a.kappaCorrect)}</td>
                    <td>${a.medianSeconds === null ? '—' : `${Math.round(a.medianSeconds)} s`}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card">
        <h2>${msg('agCoverageTable')}</h2>
        ${this._coverage(report)}
      </section>
      <p class="muted">${msg('agComputed', { ms: report.computedMs })}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-agreement-page': CsAgreementPage;
  }
}
