import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ItemSplit } from '../../../schema/item.ts';
import { errorText } from '../data/api.ts';
import { setItemSplit } from '../data/items.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

/**
 * A maintainer's control over an item's release split: a few-shot exemplar goes to the `dev` split of the next
 * release (lm-eval takes its examples from there), every other item to `test`. Tells the change out as a
 * `split-change` event with the new split.
 */
@customElement('cs-split-panel')
export class CsSplitPanel extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.5rem;
      }
      label {
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
    `,
  ];

  @property({ type: Number }) itemId = 0;
  @property() split: ItemSplit = 'test';
  @state() private _saving = false;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  private async _toggle(e: Event) {
    const split: ItemSplit = (e.target as HTMLInputElement).checked ? 'dev' : 'test';
    this._saving = true;
    try {
      this.split = (await setItemSplit(this.itemId, split)).split;
      this._error = null;
      this.dispatchEvent(
        new CustomEvent<ItemSplit>('split-change', { detail: this.split, bubbles: true, composed: true }),
      );
    } catch (err) {
      this._error = errorText(err);
      (e.target as HTMLInputElement).checked = this.split === 'dev';
    } finally {
      this._saving = false;
    }
  }

  override render() {
    return html`<h2 id="split-title">${msg('splitTitle')}</h2>
      <label>
        <input
          id="split-dev"
          type="checkbox"
          .checked=${this.split === 'dev'}
          ?disabled=${this._saving}
          aria-describedby="split-hint"
          @change=${this._toggle}
        />
        ${msg('splitExemplar')}
      </label>
      <p class="muted" id="split-hint">${msg('splitHint')}</p>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-split-panel': CsSplitPanel;
  }
}
