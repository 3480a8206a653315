import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { itemFormats, itemKinds, type ItemFormat, type ItemKind } from '../../../schema/item.ts';
import type { User } from '../../../schema/user.ts';
import { createItem } from '../data/items.ts';
import { fieldErrors } from '../i18n/errors.ts';
import { I18nController, msg } from '../i18n/index.ts';
import './cs-language-picker.ts';
import './cs-dataset-picker.ts';
import { navigate } from '../router.ts';
import { shared } from '../styles/shared.ts';
import { errorText } from '../data/api.ts';
import { userContext } from '../context.ts';

/** Creates a draft (dataset, language, kind, format) and opens it in the editor. */
@customElement('cs-new-item')
export class CsNewItem extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        max-inline-size: 36rem;
        display: grid;
        gap: 1rem;
      }
      fieldset {
        border: none;
        padding: 0;
        margin: 0;
      }
      legend {
        font-size: 0.82rem;
        font-weight: 600;
        color: var(--cs-muted);
        margin-block-end: 0.3rem;
      }
      .choices {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .choices label {
        display: flex;
        gap: 0.4rem;
        align-items: center;
        font-size: 0.9rem;
        font-weight: 500;
        color: var(--cs-text);
        border: 1px solid var(--cs-border);
        border-radius: var(--cs-radius);
        padding: 0.4rem 0.7rem;
        background: var(--cs-surface);
        margin: 0;
        cursor: pointer;
      }
      .choices label:has(input:checked) {
        border-color: var(--cs-accent);
        background: var(--cs-accent-soft);
      }
    `,
  ];

  /** The signed-in user (provided by cs-app). */
  @consume({ context: userContext, subscribe: true }) @state() private _user!: User;
  @state() private _datasetId: number | null = null;
  @state() private _kind: ItemKind = 'culture';
  @state() private _format: ItemFormat = 'open_ended';
  @state() private _busy = false;
  /** The last error, kept as it came so its words follow a change of interface language. */
  @state() private _failure: unknown = null;
  @state() private _language: string | null = null;
  @state() private _noLanguage = false;
  protected readonly i18n = new I18nController(this);

  private async _submit(e: SubmitEvent) {
    e.preventDefault();
    const language = this._language ?? this._user.languages[0] ?? '';
    this._failure = null;
    this._noLanguage = !language;
    if (!language || this._datasetId === null) return;
    this._busy = true;
    try {
      const item = await createItem({
        datasetId: this._datasetId,
        language,
        kind: this._kind,
        format: this._format,
      });
      navigate(`/items/${item.id}`);
    } catch (err) {
      this._failure = err;
    } finally {
      this._busy = false;
    }
  }

  private _radios<T extends string>(name: string, values: readonly T[], current: T, label: (v: T) => string) {
    return html`<div class="choices">
      ${values.map(
        (v) =>
          html`<label
            ><input
              type="radio"
              name=${name}
              value=${v}
              .checked=${v === current}
              @change=${() => (name === 'kind' ? (this._kind = v as ItemKind) : (this._format = v as ItemFormat))}
            />${label(v)}</label
          >`,
      )}
    </div>`;
  }

  override render() {
    const langs = this._user.languages;
    if (langs.length === 0 && this._user.role !== 'maintainer')
      return html`<p class="notice">${msg('noLanguages')}</p>`;
    return html`<form class="card" @submit=${this._submit}>
      <h1>${msg('newItemTitle')}</h1>
      <p class="muted">${msg('newItemIntro')}</p>
      <cs-dataset-picker
        .value=${this._datasetId}
        @dataset-change=${(e: CustomEvent<number | null>) => (this._datasetId = e.detail)}
      ></cs-dataset-picker>
      <cs-language-picker
        required
        .label=${msg('fieldLanguage')}
        .choices=${this._user.role === 'maintainer' ? null : langs}
        .value=${[this._language ?? langs[0]].filter((l): l is string => !!l)}
        .problem=${this._noLanguage ? msg('fieldErr_invalid_type') : (fieldErrors(this._failure).language ?? null)}
        @value-change=${(e: CustomEvent<string[]>) => (this._language = e.detail[0] ?? null)}
      ></cs-language-picker>
      <fieldset>
        <legend>${msg('filterKind')}</legend>
        ${this._radios('kind', itemKinds, this._kind, (k) => msg(`kind_${k}`))}
      </fieldset>
      <fieldset>
        <legend>${msg('filterFormat')}</legend>
        ${this._radios('format', itemFormats, this._format, (f) => msg(`format_${f}`))}
      </fieldset>
      ${this._failure ? html`<p class="notice error" role="alert">${errorText(this._failure)}</p>` : nothing}
      <div>
        <button class="primary" type="submit" ?disabled=${this._busy || this._datasetId === null}>
          ${msg('createDraft')}
        </button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-new-item': CsNewItem;
  }
}
