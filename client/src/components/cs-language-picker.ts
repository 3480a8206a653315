import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { canonicalLanguageTag } from '../../../schema/common.ts';
import { I18nController, languageName, msg } from '../i18n/index.ts';
import { COMMON_LANGUAGES, byName, isLanguageTag } from '../i18n/languages.ts';
import { shared } from '../styles/shared.ts';

const OTHER = '\u0000other';

/**
 * The one way to choose languages: names in the interface language (Intl.DisplayNames), the tag beside them,
 * "Other…" for any BCP-47 tag (checked as the server checks it). One language (a select) or several
 * (`multiple`: chips and an "Add" select). Fires `value-change` with the chosen tags.
 */
@customElement('cs-language-picker')
export class CsLanguagePicker extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
        list-style: none;
        margin: 0 0 0.35rem;
        padding: 0;
      }
      li {
        display: inline-flex;
        align-items: center;
        gap: 0.1rem;
        background: var(--cs-accent-soft);
        border-radius: 999px;
        padding-inline: 0.6rem 0.1rem;
        font-size: 0.85rem;
      }
      li.invalid {
        background: var(--cs-danger-soft, #fbe9e7);
        color: var(--cs-danger);
      }
      li button {
        border: none;
        background: none;
        padding: 0.2rem 0.45rem;
        min-inline-size: 2rem;
      }
      .other {
        display: flex;
        gap: 0.4rem;
        margin-block-start: 0.35rem;
      }
      .problem {
        color: var(--cs-danger);
        font-size: 0.82rem;
        margin: 0.25rem 0 0;
      }
    `,
  ];

  /** The chosen tags (one at most unless `multiple`). */
  @property({ attribute: false }) value: string[] = [];
  @property({ type: Boolean }) multiple = false;
  /** The languages to offer; null offers the common ones and "Other…". */
  @property({ attribute: false }) choices: readonly string[] | null = null;
  @property() label = '';
  /** Text of the empty choice of a single picker ("Any" in filters); none: a language must be chosen. */
  @property() emptyLabel = '';
  @property({ type: Boolean }) required = false;
  /** A problem to show under the picker (e.g. the server's, by code). */
  @property() problem: string | null = null;

  @state() private _typing = false;
  @state() private _typed = '';
  @state() private _typedProblem: string | null = null;
  protected readonly i18n = new I18nController(this);

  private _emit(value: string[]) {
    this.value = value;
    this.dispatchEvent(new CustomEvent<string[]>('value-change', { detail: value }));
  }

  private _name(tag: string): string {
    if (!isLanguageTag(tag)) return msg('langNotATag', { tag });
    const name = languageName(tag);
    return name === tag ? tag : `${name} (${tag})`;
  }

  private _offered(): string[] {
    const base = this.choices ?? COMMON_LANGUAGES;
    const shown = this.multiple ? base.filter((t) => !this.value.includes(t)) : [...base, ...this.value];
    return byName(shown);
  }

  private _chosen(e: Event) {
    const select = e.target as HTMLSelectElement;
    const tag = select.value;
    if (tag === OTHER) {
      this._typing = true;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#other')?.focus());
      if (this.multiple) select.value = '';
      return;
    }
    this._typing = false;
    if (!this.multiple) return this._emit(tag ? [tag] : []);
    select.value = '';
    if (tag) this._emit([...this.value, tag]);
  }

  private _addTyped() {
    const tag = canonicalLanguageTag(this._typed.trim());
    if (!tag) {
      this._typedProblem = msg('langPickerInvalid', { tag: this._typed.trim() });
      return;
    }
    this._typedProblem = null;
    this._typed = '';
    this._typing = false;
    this._emit(this.multiple ? [...this.value.filter((t) => t !== tag), tag] : [tag]);
  }

  private _other() {
    if (!this._typing) return nothing;
    return html`<div class="other">
        <label class="visually-hidden" for="other">${msg('langPickerOtherTag')}</label>
        <input
          id="other"
          placeholder=${msg('langPickerOtherTag')}
          autocomplete="off"
          spellcheck="false"
          .value=${this._typed}
          aria-invalid=${this._typedProblem ? 'true' : 'false'}
          aria-describedby=${this._typedProblem ? 'other-problem' : nothing}
          @input=${(e: Event) => (this._typed = (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            this._addTyped();
          }}
        />
        <button type="button" @click=${this._addTyped}>${msg('add')}</button>
      </div>
      ${this._typedProblem ? html`<p class="problem" id="other-problem" role="alert">${this._typedProblem}</p>` : nothing}`;
  }

  override render() {
    const open = this.choices === null;
    const current = this.multiple ? '' : (this.value[0] ?? '');
    const options = this._offered().map(
      (t) => html`<option value=${t} ?selected=${t === current}>${this._name(t)}</option>`,
    );
    return html`<label for="pick">${this.label}</label>
      ${
        this.multiple
          ? html`<ul>
              ${this.value.length === 0 ? html`<li class="muted">${msg('langPickerNone')}</li>` : nothing}
              ${this.value.map(
                (t) =>
                  html`<li class=${isLanguageTag(t) ? '' : 'invalid'} data-tag=${t}>
                    <span lang=${isLanguageTag(t) ? t : nothing}>${this._name(t)}</span>
                    <button
                      type="button"
                      aria-label=${msg('langPickerRemove', { name: this._name(t) })}
                      @click=${() => this._emit(this.value.filter((v) => v !== t))}
                    >
                      ×
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      <select
        id="pick"
        ?required=${this.required && !this.multiple}
        aria-invalid=${this.problem ? 'true' : 'false'}
        aria-describedby=${this.problem ? 'problem' : nothing}
        @change=${this._chosen}
      >
        ${
          this.multiple
            ? html`<option value="" selected>${msg('langPickerAdd')}</option>`
            : this.emptyLabel || !current
              ? html`<option value="" ?selected=${!current}>${this.emptyLabel || msg('chooseOne')}</option>`
              : nothing
        }
        ${options} ${open ? html`<option value=${OTHER}>${msg('langPickerOther')}</option>` : nothing}
      </select>
      ${this._other()} ${this.problem ? html`<p class="problem" id="problem">${this.problem}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-language-picker': CsLanguagePicker;
  }
}
