import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { HeadlineFigure, HeadlineRow, HeadlineTable } from '../../../schema/scoring.ts';
import { loadHeadline } from '../data/comparisons.ts';
import { I18nController, languageName, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { figure, pText, significanceLabel } from './report-figures.ts';
import { reportTableStyles } from './report-table-styles.ts';
import { renderTask } from './task-status.ts';

const COLUMNS = ['homeAccuracy', 'englishAccuracy', 'unsafeRate', 'overRefusalRate'] as const;

/**
 * The headline table of a release: sovereign models first, grouped by country; cultural accuracy at home and in
 * English, unsafe and over-refusal rates, each tested against the best non-sovereign model on the same items.
 */
@customElement('cs-report-headline')
export class CsReportHeadline extends LitElement {
  static override styles = [
    shared,
    reportTableStyles,
    css`
      :host {
        display: grid;
        gap: 0.8rem;
      }
      .versus {
        display: block;
        font-size: 0.8rem;
        color: var(--cs-muted);
      }
      td,
      thead th {
        min-inline-size: 6.5rem;
      }
      tr.group th {
        background: var(--cs-surface-2, transparent);
        font-size: 0.8rem;
      }
    `,
  ];

  @property({ type: Number }) releaseId = 0;
  protected readonly i18n = new I18nController(this);

  /** The table of the release shown; another release aborts the request for the one before. */
  private readonly _table = new Task(this, {
    task: ([releaseId], { signal }) => loadHeadline(releaseId, { signal }),
    args: () => [this.releaseId] as const,
  });

  private _cell(f: HeadlineFigure) {
    const v = f.versus;
    return html`<td>
      ${figure(f, true)}
      ${f.reference ? html`<span class="reference">${msg('headlineReference')}</span>` : nothing}
      ${
        v && v.difference !== null
          ? html`<span class="versus"
              >${msg('headlineVersus', {
                model: v.modelName,
                diff: `${v.difference > 0 ? '+' : v.difference < 0 ? '−' : '±'}${Math.abs(v.difference * 100).toFixed(1)}`,
                p: pText(v.pHolm),
                n: v.n,
              })}
              ${significanceLabel(v.pHolm)}</span
            >`
          : nothing
      }
    </td>`;
  }

  private _group(row: HeadlineRow) {
    return `${row.sovereign ? msg('headlineSovereign') : msg('headlineOther')} · ${row.country ?? '–'}`;
  }

  override render() {
    return html`<h2>${msg('headlineTitle')}</h2>
      <p class="muted">${msg('headlineIntro')}</p>
      ${renderTask(this._table, (t) => this._rows(t))}`;
  }

  private _rows(t: HeadlineTable) {
    return t.rows.length === 0
      ? html`<p class="muted">${msg('noReport')}</p>`
      : html`<div class="scroll" tabindex="0">
          <table>
            <thead>
              <tr>
                <th>${msg('colModel')}</th>
                <th>${msg('headlineHomeLanguage')}</th>
                <th>${msg('headlineHome')}</th>
                <th>${msg('headlineEnglish')}</th>
                <th>${msg('colUnsafe')}</th>
                <th>${msg('colOverRefusal')}</th>
              </tr>
            </thead>
            <tbody>
              ${t.rows.map(
                (row, i) =>
                  html`${
                      i === 0 || this._group(t.rows[i - 1]) !== this._group(row)
                        ? html`<tr class="group">
                            <th colspan="6" scope="rowgroup">${this._group(row)}</th>
                          </tr>`
                        : nothing
                    }
                    <tr>
                      <th scope="row">${row.modelName}</th>
                      <td>${row.homeLanguage ? languageName(row.homeLanguage) : '–'}</td>
                      ${COLUMNS.map((c) => this._cell(row[c]))}
                    </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-report-headline': CsReportHeadline;
  }
}
