import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { LIMITS, type Source } from '../../../schema/item.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { fieldBlur, fieldChange } from './field-change.ts';

/** The list of sources (URL + title), add/remove. */
@customElement('cs-sources-editor')
export class CsSourcesEditor extends LitElement {
  static override styles = [
    shared,
    css`
      .source {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) auto;
        gap: 0.5rem;
        margin-block-end: 0.4rem;
      }
    `,
  ];

  @property({ attribute: false }) sources: Source[] = [];
  @property() textLang = 'en';
  @property({ type: Boolean }) readonly = false;
  @property() problem: string | null = null;
  protected readonly i18n = new I18nController(this);

  override firstUpdated(): void {
    // Tells the editor which control was left (see fieldBlur).
    this.renderRoot.addEventListener('focusout', (e) => this.dispatchEvent(fieldBlur(e)));
  }

  private _set(sources: Source[]) {
    this.dispatchEvent(fieldChange('sources', sources));
  }

  private _update(i: number, key: keyof Source, value: string) {
    this._set(this.sources.map((s, j) => (j === i ? { ...s, [key]: value } : s)));
  }

  override render() {
    return html`<fieldset class="plain">
      <legend class="label">${msg('fieldSources')}</legend>
      ${this.sources.map(
        (s, i) =>
          html`<div class="source">
            <input
              type="url"
              id=${`source-url-${i}`}
              dir="ltr"
              placeholder="https://"
              aria-label=${msg('sourceUrl', { n: i + 1 })}
              ?disabled=${this.readonly}
              .value=${live(s.url)}
              @input=${(e: Event) => this._update(i, 'url', (e.target as HTMLInputElement).value)}
            />
            <input
              type="text"
              dir="auto"
              lang=${this.textLang}
              maxlength=${LIMITS.shortText}
              aria-label=${msg('sourceTitle', { n: i + 1 })}
              ?disabled=${this.readonly}
              .value=${live(s.title)}
              @input=${(e: Event) => this._update(i, 'title', (e.target as HTMLInputElement).value)}
            />
            ${
              this.readonly
                ? nothing
                : html`<button
                    type="button"
                    class="link"
                    aria-label=${msg('removeSource', { n: i + 1 })}
                    @click=${() => this._set(this.sources.filter((_, j) => j !== i))}
                  >
                    ✕
                  </button>`
            }
          </div>`,
      )}
      ${
        this.readonly
          ? nothing
          : html`<button
              type="button"
              ?disabled=${this.sources.length >= LIMITS.sources}
              @click=${() => this._set([...this.sources, { url: '', title: '' }])}
            >
              + ${msg('addSource')}
            </button>`
      }
      ${this.problem ? html`<p class="problem">${this.problem}</p>` : nothing}
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-sources-editor': CsSourcesEditor;
  }
}
