import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ImportIssue } from '../../../schema/import.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

/** The problems of a checked file: one row per problem, with its row, line, column and reason. */
@customElement('cs-import-errors')
export class CsImportErrors extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        max-block-size: 28rem;
        overflow: auto;
      }
      table {
        border-collapse: collapse;
        inline-size: 100%;
        font-size: 0.88rem;
      }
      th,
      td {
        text-align: start;
        padding: 0.3rem 0.5rem;
        border-block-end: 1px solid var(--cs-border);
        vertical-align: top;
      }
      th {
        position: sticky;
        inset-block-start: 0;
        background: var(--cs-surface);
      }
      td.num {
        font-variant-numeric: tabular-nums;
      }
      code {
        font-family: var(--cs-font-mono);
        font-size: 0.82rem;
      }
    `,
  ];

  @property({ attribute: false }) errors: ImportIssue[] = [];
  @property({ type: Number }) count = 0;
  protected readonly i18n = new I18nController(this);

  override render() {
    return html`${
        this.count > this.errors.length
          ? html`<p class="muted">
              ${msg('importShowingFirst', { shown: this.errors.length, count: this.count })}
            </p>`
          : nothing
      }
      <table>
        <thead>
          <tr>
            <th>${msg('colRow')}</th>
            <th>${msg('colLine')}</th>
            <th>${msg('colColumn')}</th>
            <th>${msg('colProblem')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.errors.map(
            (e) =>
              html`<tr>
                <td class="num">${e.row ?? '—'}</td>
                <td class="num">${e.line ?? '—'}</td>
                <td dir="auto">${e.column ?? e.field ?? '—'}</td>
                <td dir="auto"><code>${e.code}</code> ${e.message}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-import-errors': CsImportErrors;
  }
}
