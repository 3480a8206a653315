import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TaxonomyId, TaxonomyNode } from '../../../schema/taxonomy.ts';
import { createNode, updateNode } from '../data/taxonomies.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { errorText } from '../data/api.ts';
import { formText } from './form-text.ts';

/** Adds a child node (slug + en/ko labels) or edits a node's labels. Fires `node-saved`. */
@customElement('cs-taxonomy-node-form')
export class CsTaxonomyNodeForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
        padding-block: 0.4rem;
      }
      form > div {
        flex: 1 1 9rem;
      }
      .error {
        flex-basis: 100%;
      }
    `,
  ];

  @property() taxonomyId: TaxonomyId = 'socio-cultural';
  /** Parent of the new node (null = top level); ignored when editing. */
  @property({ attribute: false }) parentId: string | null = null;
  /** The node whose labels are edited; absent when adding. */
  @property({ attribute: false }) node: TaxonomyNode | null = null;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  private async _submit(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const str = (k: string) => formText(data, k).trim();
    const labels: Record<string, string> = { ...(this.node?.labels ?? {}), en: str('en') };
    if (str('ko')) labels.ko = str('ko');
    else delete labels.ko;
    try {
      const saved = this.node
        ? await updateNode(this.taxonomyId, this.node.id, { labels })
        : await createNode(this.taxonomyId, { parentId: this.parentId, slug: str('slug'), labels });
      this.dispatchEvent(new CustomEvent<TaxonomyNode>('node-saved', { detail: saved }));
    } catch (err) {
      this._error = errorText(err);
    }
  }

  override render() {
    const n = this.node;
    return html`<form @submit=${this._submit}>
      ${
        n
          ? nothing
          : html`<div>
              <label for="slug">${msg('slug')}</label>
              <input id="slug" name="slug" required pattern="[a-z0-9_-]+" dir="ltr" />
            </div>`
      }
      <div>
        <label for="en">${msg('labelEn')}</label>
        <input id="en" name="en" required lang="en" dir="auto" .value=${n?.labels.en ?? ''} />
      </div>
      <div>
        <label for="ko">${msg('labelKo')}</label>
        <input id="ko" name="ko" lang="ko" dir="auto" .value=${n?.labels.ko ?? ''} />
      </div>
      <button class="primary" type="submit">${n ? msg('save') : msg('add')}</button>
      <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>
        ${msg('cancel')}
      </button>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-taxonomy-node-form': CsTaxonomyNodeForm;
  }
}
