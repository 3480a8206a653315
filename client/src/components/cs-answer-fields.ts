import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { LIMITS, type ItemFields } from '../../../schema/item.ts';
import { I18nController, msg, textDirection } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { fieldBlur, fieldChange, type Problems } from './field-change.ts';

/** The answer part of the editor, per format: reference answer, accepted variants, options, true/false. */
@customElement('cs-answer-fields')
export class CsAnswerFields extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .list {
        display: grid;
        gap: 0.4rem;
        margin-block-end: 0.5rem;
      }
      .opt {
        display: grid;
        grid-template-columns: auto auto 1fr auto;
        gap: 0.5rem;
        align-items: center;
      }
      .opt.correct input[type='text'] {
        border-color: var(--cs-ok);
        background: var(--cs-ok-soft);
      }
      .n {
        font-family: var(--cs-font-mono);
        color: var(--cs-muted);
        font-size: 0.8rem;
        inline-size: 1.2rem;
        text-align: center;
      }
      .variant {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.5rem;
      }
      input[type='radio'] {
        inline-size: 1.1rem;
        block-size: 1.1rem;
        accent-color: var(--cs-ok);
        margin: 0;
      }
      .tf {
        display: flex;
        gap: 1.25rem;
      }
      .tf label {
        display: flex;
        gap: 0.35rem;
        align-items: center;
        color: var(--cs-text);
        font-weight: 500;
        font-size: 0.95rem;
      }
    `,
  ];

  @property({ attribute: false }) fields!: ItemFields;
  @property({ attribute: false }) problems: Problems = {};
  @property({ type: Boolean }) readonly = false;
  protected readonly i18n = new I18nController(this);

  override firstUpdated(): void {
    // Tells the editor which control was left (see fieldBlur).
    this.renderRoot.addEventListener('focusout', (e) => this.dispatchEvent(fieldBlur(e)));
  }

  /** Moves focus to the control of a problem path ("options.2", "correctIndex", "acceptedAnswers"…). */
  focusProblem(path: string): boolean {
    const [root, index] = path.split('.');
    const selector =
      root === 'options'
        ? `#option-${index ?? 0}`
        : root === 'correctIndex'
          ? '#correct-0'
          : root === 'acceptedAnswers'
            ? '#accepted-0, #add-accepted'
            : root === 'trueFalseAnswer'
              ? '#tf-true'
              : `#f-${root}`;
    const el = this.renderRoot.querySelector<HTMLElement>(selector);
    el?.focus();
    return !!el;
  }

  private _problem(path: string) {
    const p = this.problems[path];
    return p ? html`<p class="problem" id=${`p-${path}`}>${p}</p>` : nothing;
  }

  private _aria(path: string) {
    return this.problems[path] ? `p-${path}` : nothing;
  }

  private _text(field: 'referenceAnswer' | 'answerEn', label: string, lang: string) {
    const id = `f-${field}`;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <textarea
        id=${id}
        dir="auto"
        lang=${lang}
        rows="4"
        maxlength=${LIMITS.answer}
        ?disabled=${this.readonly}
        aria-invalid=${this.problems[field] ? 'true' : 'false'}
        aria-describedby=${this._aria(field)}
        .value=${live(this.fields[field] ?? '')}
        @input=${(e: Event) => this.dispatchEvent(fieldChange(field, (e.target as HTMLTextAreaElement).value))}
      ></textarea>
      ${this._problem(field)}
    </div>`;
  }

  /**
   * Backspace in an empty row removes the row and puts the caret at the end of the row before it: the ✕ buttons
   * stay out of the Tab order (Tab goes from one text to the next), and the keyboard still removes rows.
   */
  private _removeOnBackspace(e: KeyboardEvent, prefix: string, i: number, remove: (i: number) => void) {
    if (e.key !== 'Backspace' || (e.target as HTMLInputElement).value !== '') return;
    e.preventDefault();
    remove(i);
    void this.updateComplete.then(() => {
      const previous = this.renderRoot.querySelector<HTMLInputElement>(`#${prefix}-${Math.max(0, i - 1)}`);
      previous?.focus();
      previous?.setSelectionRange(previous.value.length, previous.value.length);
    });
  }

  private _options() {
    const f = this.fields;
    const set = (options: string[], correctIndex = f.correctIndex) => {
      this.dispatchEvent(fieldChange('options', options));
      if (correctIndex !== f.correctIndex) this.dispatchEvent(fieldChange('correctIndex', correctIndex));
    };
    const remove = (i: number) => {
      const c = f.correctIndex;
      set(
        f.options.filter((_, j) => j !== i),
        c === null || c === i ? null : c > i ? c - 1 : c,
      );
    };
    const canRemove = !this.readonly && f.options.length > LIMITS.minOptions;
    return html`<fieldset class="plain">
      <legend class="label">${msg('fieldOptions')}</legend>
      <div
        class="list"
        role="radiogroup"
        dir=${textDirection(f.language)}
        aria-describedby=${this._aria('correctIndex')}
      >
        ${f.options.map(
          (o, i) =>
            html`<div class="opt ${f.correctIndex === i ? 'correct' : ''}">
              <span class="n" aria-hidden="true">${String.fromCharCode(65 + i)}</span>
              <input
                type="radio"
                name="correct"
                id=${`correct-${i}`}
                aria-label=${msg('correctOption', { n: i + 1 })}
                .checked=${live(f.correctIndex === i)}
                ?disabled=${this.readonly}
                @change=${() => this.dispatchEvent(fieldChange('correctIndex', i))}
              />
              <input
                type="text"
                id=${`option-${i}`}
                dir="auto"
                lang=${f.language}
                maxlength=${LIMITS.shortText}
                aria-label=${msg('option', { n: i + 1 })}
                aria-invalid=${this.problems[`options.${i}`] ? 'true' : 'false'}
                aria-keyshortcuts=${canRemove ? 'Backspace' : nothing}
                ?disabled=${this.readonly}
                .value=${live(o)}
                @input=${(e: Event) =>
                  set(f.options.map((x, j) => (j === i ? (e.target as HTMLInputElement).value : x)))}
                @keydown=${(e: KeyboardEvent) => canRemove && this._removeOnBackspace(e, 'option', i, remove)}
              />
              ${
                this.readonly
                  ? nothing
                  : html`<button
                      type="button"
                      class="link"
                      tabindex="-1"
                      aria-label=${msg('removeOption', { n: i + 1 })}
                      ?disabled=${!canRemove}
                      @click=${() => remove(i)}
                    >
                      ✕
                    </button>`
              }
            </div>`,
        )}
      </div>
      ${
        this.readonly
          ? nothing
          : html`<button
              type="button"
              ?disabled=${f.options.length >= LIMITS.maxOptions}
              @click=${() => set([...f.options, ''])}
            >
              + ${msg('addOption')}
            </button>`
      }
      ${this._problem('options')} ${this._problem('correctIndex')}
      ${f.options.map((_, i) => this._problem(`options.${i}`))}
    </fieldset>`;
  }

  private _variants() {
    const list = this.fields.acceptedAnswers;
    const set = (v: string[]) => this.dispatchEvent(fieldChange('acceptedAnswers', v));
    return html`<fieldset class="plain">
      <legend class="label">${msg('fieldAcceptedAnswers')}</legend>
      <div class="list" dir=${textDirection(this.fields.language)}>
        ${list.map(
          (a, i) =>
            html`<div class="variant">
              <input
                type="text"
                id=${`accepted-${i}`}
                dir="auto"
                lang=${this.fields.language}
                maxlength=${LIMITS.shortText}
                aria-label=${msg('acceptedAnswer', { n: i + 1 })}
                aria-keyshortcuts=${this.readonly ? nothing : 'Backspace'}
                ?disabled=${this.readonly}
                .value=${live(a)}
                @input=${(e: Event) => set(list.map((x, j) => (j === i ? (e.target as HTMLInputElement).value : x)))}
                @keydown=${(e: KeyboardEvent) =>
                  !this.readonly &&
                  this._removeOnBackspace(e, 'accepted', i, () => set(list.filter((_, j) => j !== i)))}
              />
              ${
                this.readonly
                  ? nothing
                  : html`<button
                      type="button"
                      class="link"
                      tabindex="-1"
                      aria-label=${msg('remove')}
                      @click=${() => set(list.filter((_, j) => j !== i))}
                    >
                      ✕
                    </button>`
              }
            </div>`,
        )}
      </div>
      ${
        this.readonly
          ? nothing
          : html`<button
              type="button"
              id="add-accepted"
              ?disabled=${list.length >= LIMITS.listLength}
              @click=${() => set([...list, ''])}
            >
              + ${msg('addAcceptedAnswer')}
            </button>`
      }
      ${this._problem('acceptedAnswers')}
    </fieldset>`;
  }

  private _trueFalse() {
    const v = this.fields.trueFalseAnswer;
    const radio = (value: boolean, label: string) =>
      html`<label
        ><input
          type="radio"
          name="tf"
          id=${`tf-${value}`}
          .checked=${live(v === value)}
          ?disabled=${this.readonly}
          @change=${() => this.dispatchEvent(fieldChange('trueFalseAnswer', value))}
        />${label}</label
      >`;
    return html`<fieldset class="plain">
      <legend class="label">${msg('fieldTrueFalse')}</legend>
      <div class="tf">${radio(true, msg('true'))} ${radio(false, msg('false'))}</div>
      ${this._problem('trueFalseAnswer')}
    </fieldset>`;
  }

  override render() {
    const f = this.fields;
    switch (f.format) {
      case 'open_ended':
        return html`${this._text('referenceAnswer', msg('fieldReferenceAnswer'), f.language)}
        ${this._text('answerEn', msg('fieldAnswerEn'), 'en')}`;
      case 'short_answer':
        return html`${this._variants()} ${this._text('answerEn', msg('fieldAnswerEn'), 'en')}`;
      case 'multiple_choice':
        return this._options();
      case 'true_false':
        return this._trueFalse();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-answer-fields': CsAnswerFields;
  }
}
