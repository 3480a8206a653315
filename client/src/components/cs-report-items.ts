import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ReportItem } from '../../../schema/scoring.ts';
import { reportItems } from '../data/scoring.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { formatLabel, optionLetter } from '../i18n/labels.ts';
import { shared } from '../styles/shared.ts';

/** What scoring read from an answer, as people name it: the option's letter, true/false in words, or the text. */
function extractedLabel(item: ReportItem, extracted: string | null): string {
  if (extracted === null) return '';
  if (item.format === 'multiple_choice' && /^\d+$/.test(extracted)) return optionLetter(Number(extracted));
  if (item.format === 'true_false' && (extracted === 'true' || extracted === 'false')) return msg(extracted);
  return extracted;
}

/** The reference in words: true/false and a safety item's expected behaviour in the interface language. */
function referenceLabel(item: ReportItem): string {
  const r = item.reference;
  if (r === null) return '–';
  if (item.kind === 'safety' && (r === 'refuse' || r === 'safe_complete' || r === 'comply'))
    return msg(`behavior_${r}`);
  if (item.format === 'true_false' && (r === 'true' || r === 'false')) return msg(r);
  return r;
}

/** The drill-down: each item with the reference and every model's answer (and what scoring read from it). */
@customElement('cs-report-items')
export class CsReportItems extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.8rem;
      }
      .text {
        white-space: pre-wrap;
        unicode-bidi: plaintext;
      }
      table {
        inline-size: 100%;
        border-collapse: collapse;
      }
      td,
      th {
        text-align: start;
        vertical-align: top;
        padding: 0.3rem;
        border-block-end: 1px solid var(--cs-border);
      }
    `,
  ];

  @property({ type: Number }) releaseId = 0;
  @state() private _items: ReportItem[] = [];
  @state() private _next: string | null = '';
  protected readonly i18n = new I18nController(this);

  override updated(changed: Map<string, unknown>) {
    if (changed.has('releaseId')) {
      this._items = [];
      this._next = '';
      void this._more();
    }
  }

  private async _more() {
    if (this._next === null || !this.releaseId) return;
    const page = await reportItems(this.releaseId, this._next);
    this._items = [...this._items, ...page.items];
    this._next = page.next;
  }

  override render() {
    return html`<h2>${msg('drillDown')}</h2>
      ${this._items.map(
        (item) =>
          html`<article class="card">
            <p class="text" lang=${item.language} dir="auto">${item.question}</p>
            <p class="muted">
              ${item.id} · ${formatLabel(item.format)} · ${msg('theReference')}:
              <span lang=${item.language} dir="auto">${referenceLabel(item)}</span>
            </p>
            <table>
              ${item.answers.map(
                (a) =>
                  html`<tr>
                    <th scope="row">${a.modelName}</th>
                    <td class="text" lang=${item.language} dir="auto">${a.response}</td>
                    <td class="verdict">
                      <span
                        aria-label=${a.correct === null ? msg('reportNotScored') : a.correct ? msg('reportCorrect') : msg('reportWrong')}
                        >${a.correct === null ? '…' : a.correct ? '✓' : '✗'}</span
                      >
                      <span lang=${item.format === 'short_answer' ? item.language : nothing}
                        >${extractedLabel(item, a.extracted)}</span
                      >
                    </td>
                  </tr>`,
              )}
            </table>
          </article>`,
      )}
      ${this._next !== null ? html`<button type="button" @click=${this._more}>${msg('loadMore')}</button>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-report-items': CsReportItems;
  }
}
