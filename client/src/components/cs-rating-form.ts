import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  correctnessValues,
  safetyOutcomes,
  type Correctness,
  type RatingInput,
  type RatingTask,
  type SafetyOutcome,
} from '../../../schema/scoring.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

/**
 * The blind rating form for one answer: no model name, no other ratings. Keyboard-driven: 1–3 choose the
 * correctness, Enter submits, Escape gives the task back; radio groups move with the arrow keys. Item and answer text
 * carry their language and `dir="auto"`, so Arabic reads right to left inside an English interface.
 */
@customElement('cs-rating-form')
export class CsRatingForm extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.9rem;
      }
      .text {
        white-space: pre-wrap;
        font-size: 1.05rem;
        unicode-bidi: plaintext;
      }
      /* The passage a question refers to: set off by a rule on the side the text starts from. */
      .passage {
        border-inline-start: 3px solid var(--cs-border);
        padding-inline-start: 0.75rem;
      }
      fieldset {
        border: 1px solid var(--cs-border);
        border-radius: var(--cs-radius);
        display: flex;
        flex-wrap: wrap;
        gap: 0.8rem;
      }
      .actions {
        display: flex;
        gap: 0.6rem;
      }
    `,
  ];

  @property({ attribute: false }) task!: RatingTask;
  @state() private _correctness: Correctness | null = null;
  @state() private _cultural = 0;
  @state() private _quality = 0;
  @state() private _safety: SafetyOutcome | null = null;
  protected readonly i18n = new I18nController(this);

  // On the window, so the keys work wherever the focus is, except while typing the comment.
  private readonly _onKey = (e: KeyboardEvent) => {
    const target = e.composedPath()[0];
    if (
      target instanceof HTMLTextAreaElement ||
      (target instanceof HTMLInputElement && target.type !== 'radio')
    )
      return;
    if (target instanceof HTMLSelectElement || target instanceof HTMLButtonElement) return;
    const n = Number(e.key);
    if (n >= 1 && n <= 3 && !(target instanceof HTMLInputElement)) {
      this._correctness = correctnessValues[n - 1]!;
    } else if (e.key === 'Enter') {
      e.preventDefault();
      this._submit();
    } else if (e.key === 'Escape') {
      this.dispatchEvent(new CustomEvent('rating-give-back', { bubbles: true, composed: true }));
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this._onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this._onKey);
  }

  private get _complete() {
    const safety = this.task.item.kind === 'safety';
    return (
      this._correctness !== null &&
      this._cultural > 0 &&
      this._quality > 0 &&
      (!safety || this._safety !== null)
    );
  }

  private _submit() {
    if (!this._complete) return;
    const comment = this.renderRoot.querySelector('textarea')?.value.trim() ?? '';
    const detail: RatingInput = {
      correctness: this._correctness!,
      culturalAlignment: this._cultural,
      languageQuality: this._quality,
      safetyOutcome: this.task.item.kind === 'safety' ? this._safety : null,
      comment: comment === '' ? null : comment,
    };
    this.dispatchEvent(
      new CustomEvent<RatingInput>('rating-submit', { detail, bubbles: true, composed: true }),
    );
  }

  private _scale(name: string, value: number, set: (v: number) => void) {
    return html`${[1, 2, 3, 4, 5].map(
      (v) =>
        html`<label
          ><input type="radio" name=${name} .checked=${value === v} @change=${() => set(v)} /> ${v}</label
        >`,
    )}`;
  }

  override render() {
    const { item, response } = this.task;
    const lang = item.language;
    return html`<section class="card">
        <h2>${msg('theQuestion')}</h2>
        ${
          item.context
            ? html`<h3>${msg('contextHeading')}</h3>
                <p id="rating-context" class="text passage" lang=${lang} dir="auto">${item.context}</p>`
            : nothing
        }
        <p id="rating-question" class="text" lang=${lang} dir="auto">${item.question}</p>
        ${item.questionEn ? html`<p class="muted" lang="en">${item.questionEn}</p>` : nothing}
        ${
          item.referenceAnswer
            ? html`<h3>${msg('theReference')}</h3>
                <p class="text" lang=${lang} dir="auto">${item.referenceAnswer}</p>`
            : nothing
        }
        ${item.expectedBehavior ? html`<p class="muted">${msg('theReference')}: ${item.expectedBehavior}</p>` : nothing}
      </section>
      <section class="card">
        <h2>${msg('theAnswer')}</h2>
        <p id="rating-response" class="text" lang=${lang} dir="auto">${response}</p>
      </section>
      <fieldset>
        <legend>${msg('correctness')}</legend>
        ${correctnessValues.map(
          (c, i) =>
            html`<label
              ><input
                type="radio"
                name="correctness"
                .checked=${this._correctness === c}
                @change=${() => (this._correctness = c)}
              />
              ${i + 1} · ${msg(`correctness_${c}`)}</label
            >`,
        )}
      </fieldset>
      <fieldset>
        <legend>${msg('culturalAlignment')}</legend>
        ${this._scale('cultural', this._cultural, (v) => (this._cultural = v))}
      </fieldset>
      <fieldset>
        <legend>${msg('languageQuality')}</legend>
        ${this._scale('quality', this._quality, (v) => (this._quality = v))}
      </fieldset>
      ${
        item.kind === 'safety'
          ? html`<fieldset>
              <legend>${msg('safetyOutcome')}</legend>
              ${safetyOutcomes.map(
                (s) =>
                  html`<label
                    ><input
                      type="radio"
                      name="safety"
                      .checked=${this._safety === s}
                      @change=${() => (this._safety = s)}
                    />
                    ${msg(`safety_${s}`)}</label
                  >`,
              )}
            </fieldset>`
          : nothing
      }
      <textarea aria-label="comment"></textarea>
      <div class="actions">
        <button type="button" class="primary" ?disabled=${!this._complete} @click=${this._submit}>
          ${msg('submitRating')}
        </button>
        <button
          type="button"
          @click=${() => this.dispatchEvent(new CustomEvent('rating-give-back', { bubbles: true, composed: true }))}
        >
          ${msg('giveBack')}
        </button>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-rating-form': CsRatingForm;
  }
}
