import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { orderedFields, sameValue, type Conflict } from '../autosave/autosaver.ts';
import type { ItemFieldName } from '../../../schema/item.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

const show = (v: unknown): string =>
  v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v, null, 1);

/** A stale write: both versions side by side; fires `keep-mine` or `take-theirs`. */
@customElement('cs-conflict-panel')
export class CsConflictPanel extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .card {
        border-color: var(--cs-danger);
        border-inline-start-width: 4px;
      }
      table {
        inline-size: 100%;
        border-collapse: collapse;
        margin-block: 0.75rem;
        font-size: 0.9rem;
      }
      th,
      td {
        text-align: start;
        padding: 0.4rem 0.5rem;
        border-block-end: 1px solid var(--cs-border);
        vertical-align: top;
        white-space: pre-wrap;
      }
      th {
        font-size: 0.78rem;
        color: var(--cs-muted);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) conflict!: Conflict;
  @property() textLang = 'en';
  protected readonly i18n = new I18nController(this);

  override render() {
    const { current, yours } = this.conflict;
    const fields = orderedFields(yours).filter((k: ItemFieldName) => !sameValue(yours[k], current[k]));
    return html`<section class="card" role="alertdialog" aria-labelledby="c-title" aria-describedby="c-intro">
      <h2 id="c-title">${msg('conflictTitle')}</h2>
      <p id="c-intro" class="muted">${msg('conflictIntro')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">${msg('conflictField')}</th>
            <th scope="col">${msg('conflictYours')}</th>
            <th scope="col">${msg('conflictTheirs')} (v${current.version}, ${current.authorName})</th>
          </tr>
        </thead>
        <tbody>
          ${fields.map(
            (k) =>
              html`<tr>
                <th scope="row">${k}</th>
                <td dir="auto" lang=${this.textLang} class="yours">${show(yours[k])}</td>
                <td dir="auto" lang=${this.textLang} class="theirs">${show(current[k])}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <div class="actions">
        <button
          class="primary"
          type="button"
          @click=${() => this.dispatchEvent(new CustomEvent('keep-mine'))}
        >
          ${msg('keepMine')}
        </button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('take-theirs'))}>
          ${msg('takeTheirs')}
        </button>
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-conflict-panel': CsConflictPanel;
  }
}
