import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Item } from '../../../schema/item.ts';
import type { SaveStatus } from '../autosave/autosaver.ts';
import { I18nController, languageName, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-save-status.ts';
import './cs-status-chip.ts';

/** The editor's bar, kept in view under the header: back to the list, the item's id, status and language, saving. */
@customElement('cs-editor-bar')
export class CsEditorBar extends LitElement {
  static override styles = [
    shared,
    css`
      /* No box of its own, so the bar sticks while the whole editor scrolls. */
      :host {
        display: contents;
      }
      .top {
        position: sticky;
        inset-block-start: 3.25rem;
        z-index: 5;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem;
        padding-block: 0.6rem;
        margin-block: -1.25rem 1rem;
        background: var(--cs-bg);
        border-block-end: 1px solid var(--cs-border);
      }
      .top h1 {
        font-size: 1.1rem;
      }
      .top .uid {
        font-family: var(--cs-font-mono);
        font-size: 0.78rem;
        color: var(--cs-muted);
      }
      .top cs-save-status {
        margin-inline-start: auto;
      }
    `,
  ];

  @property({ attribute: false }) item!: Pick<Item, 'uid' | 'status' | 'language'>;
  @property({ attribute: false }) saveStatus: SaveStatus = 'saved';
  @property({ attribute: false }) saveError: string | null = null;
  protected readonly i18n = new I18nController(this);

  override render() {
    const item = this.item;
    return html`<div class="top">
      <a href="/items">← ${msg('navItems')}</a>
      <h1>${msg('editorTitle')}</h1>
      <span class="uid">${item.uid}</span>
      <cs-status-chip .status=${item.status}></cs-status-chip>
      <span class="badge" title=${languageName(item.language)}>${item.language}</span>
      <cs-save-status .status=${this.saveStatus} .error=${this.saveError}></cs-save-status>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-editor-bar': CsEditorBar;
  }
}
