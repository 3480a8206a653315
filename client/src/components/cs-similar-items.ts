import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { similarItems, type SimilarItem } from '../data/items.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

/** Near-duplicate questions in the same dataset and language, refreshed as the question is typed. */
@customElement('cs-similar-items')
export class CsSimilarItems extends LitElement {
  static override styles = [
    shared,
    css`
      ul {
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.45rem;
      }
      li a {
        display: block;
        color: var(--cs-text);
        text-decoration: none;
        font-size: 0.9rem;
        unicode-bidi: plaintext;
      }
      li a:hover {
        color: var(--cs-accent);
      }
      .sim {
        font-size: 0.75rem;
        color: var(--cs-warn);
      }
    `,
  ];

  @property({ type: Number }) datasetId = 0;
  @property() language = '';
  @property() question = '';
  @property({ type: Number }) exclude = 0;

  @state() private _items: SimilarItem[] = [];
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _abort?: AbortController;
  protected readonly i18n = new I18nController(this);

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('question') || changed.has('language')) {
      clearTimeout(this._timer);
      this._timer = setTimeout(() => void this._load(), 400);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._timer);
    this._abort?.abort();
  }

  private async _load() {
    const q = this.question.trim();
    if (q.length < 3 || !this.datasetId) {
      this._items = [];
      return;
    }
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    try {
      const res = await similarItems(
        { dataset: this.datasetId, language: this.language, q, exclude: this.exclude },
        { signal: abort.signal },
      );
      this._items = res.items;
    } catch {
      // offline or aborted: keep the last list
    }
  }

  override render() {
    return html`<h2 id="similar-title">${msg('similarTitle')}</h2>
      ${
        this._items.length === 0
          ? html`<p class="muted">${msg('similarNone')}</p>`
          : html`<ul aria-labelledby="similar-title">
              ${this._items.map(
                (i) =>
                  html`<li>
                    <a href=${`/items/${i.id}`} target="_blank" dir="auto" lang=${i.language}
                      >${i.question}</a
                    >
                    <span class="sim">${msg('similarity', { percent: Math.round(i.similarity * 100) })}</span>
                    ${nothing}
                  </li>`,
              )}
            </ul>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-similar-items': CsSimilarItems;
  }
}
