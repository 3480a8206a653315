import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ItemKind } from '../../../schema/item.ts';
import type { CategoryVerdict, ValidationInput, Verdict } from '../../../schema/validation.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-taxonomy-select.ts';

type Step = 'grounded' | 'correct' | 'category' | 'quality';
const STEPS: Step[] = ['grounded', 'correct', 'category', 'quality'];
const VERDICTS: Verdict[] = ['yes', 'no', 'unsure'];
const CATEGORY: CategoryVerdict[] = ['keep', 'other'];
const QUALITY = [1, 2, 3, 4, 5];

/**
 * The judgement half of the validation form (docs/product.md, Items and their lifecycle). Keyboard first: the highlighted question takes
 * a digit (1 yes · 2 no · 3 unsure; 1 keep · 2 other; 1–5 quality) and moves on; Enter submits.
 * Fires `validation-submit` with a ValidationInput.
 */
@customElement('cs-validation-form')
export class CsValidationForm extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.6rem;
      }
      fieldset {
        border: 1px solid var(--cs-border);
        border-radius: var(--cs-radius);
        padding: 0.5rem 0.75rem;
        margin: 0;
      }
      fieldset.active {
        border-color: var(--cs-accent);
        box-shadow: 0 0 0 2px var(--cs-accent-soft);
      }
      legend {
        font-weight: 600;
        font-size: 0.9rem;
      }
      .choices {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      .choices label {
        display: inline-flex;
        gap: 0.3rem;
        align-items: center;
        font-weight: 500;
        color: var(--cs-text);
        margin: 0;
        padding: 0.25rem 0.6rem;
        border: 1px solid var(--cs-border);
        border-radius: var(--cs-radius);
        cursor: pointer;
      }
      kbd {
        font-family: var(--cs-font-mono);
        font-size: 0.75rem;
        color: var(--cs-muted);
      }
    `,
  ];

  @property() kind: ItemKind = 'culture';
  @property({ type: Boolean }) busy = false;

  @state() private _grounded: Verdict | null = null;
  @state() private _correct: Verdict | null = null;
  @state() private _category: CategoryVerdict | null = null;
  @state() private _categoryPath: string | null = null;
  @state() private _quality: number | null = null;
  @state() private _comment = '';
  @state() private _active: Step = 'grounded';
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this._onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this._onKey);
  }

  private get _complete(): boolean {
    return (
      this._grounded !== null &&
      this._correct !== null &&
      this._quality !== null &&
      (this._category === 'keep' || (this._category === 'other' && this._categoryPath !== null))
    );
  }

  private _set(step: Step, index: number): boolean {
    if (step === 'grounded' && index < 3) this._grounded = VERDICTS[index];
    else if (step === 'correct' && index < 3) this._correct = VERDICTS[index];
    else if (step === 'category' && index < 2) this._category = CATEGORY[index];
    else if (step === 'quality' && index < 5) this._quality = QUALITY[index];
    else return false;
    const next = STEPS[STEPS.indexOf(step) + 1];
    if (next && !(step === 'category' && this._category === 'other')) this._active = next;
    return true;
  }

  private readonly _onKey = (e: KeyboardEvent) => {
    const target = e.composedPath()[0];
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    if (target instanceof HTMLInputElement && target.type !== 'radio') return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (/^[1-5]$/.test(e.key)) {
      if (this._set(this._active, Number(e.key) - 1)) e.preventDefault();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      this._submit();
    }
  };

  private _submit() {
    if (!this._complete || this.busy) return;
    const input: ValidationInput = {
      grounded: this._grounded!,
      correct: this._correct!,
      category: this._category!,
      categoryPath: this._category === 'other' ? this._categoryPath : null,
      quality: this._quality!,
      comment: this._comment.trim() ? this._comment : null,
    };
    this.dispatchEvent(new CustomEvent<ValidationInput>('validation-submit', { detail: input }));
  }

  private _choices<T extends string | number>(
    step: Step,
    legend: string,
    values: T[],
    current: T | null,
    label: (v: T) => string,
  ) {
    return html`<fieldset
      class=${this._active === step ? 'active' : ''}
      data-step=${step}
      @focusin=${() => (this._active = step)}
    >
      <legend>${legend}</legend>
      <div class="choices" role="radiogroup">
        ${values.map(
          (v, i) =>
            html`<label
              ><input
                type="radio"
                name=${step}
                .value=${String(v)}
                .checked=${current === v}
                @change=${() => this._set(step, i)}
              />${label(v)} <kbd>${i + 1}</kbd></label
            >`,
        )}
      </div>
    </fieldset>`;
  }

  override render() {
    return html`
      ${this._choices('grounded', msg('vGrounded'), VERDICTS, this._grounded, (v) => msg(`verdict_${v}`))}
      ${this._choices('correct', msg('vCorrect'), VERDICTS, this._correct, (v) => msg(`verdict_${v}`))}
      ${this._choices('category', msg('vCategory'), CATEGORY, this._category, (v) => msg(`vCategory_${v}`))}
      ${
        this._category === 'other'
          ? html`<cs-taxonomy-select
              taxonomyId=${this.kind === 'culture' ? 'socio-cultural' : 'safety-hazards'}
              .value=${this._categoryPath}
              label=${msg('vCategoryPath')}
              @value-change=${(e: CustomEvent<string | null>) => {
                this._categoryPath = e.detail;
                if (e.detail) this._active = 'quality';
              }}
            ></cs-taxonomy-select>`
          : nothing
      }
      ${this._choices('quality', msg('vQuality'), QUALITY, this._quality, (v) => String(v))}
      <div>
        <label for="v-comment">${msg('vComment')}</label>
        <textarea
          id="v-comment"
          dir="auto"
          maxlength="5000"
          .value=${this._comment}
          @input=${(e: Event) => (this._comment = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
      </div>
      <div class="row">
        <button
          class="primary"
          type="button"
          id="v-submit"
          ?disabled=${!this._complete || this.busy}
          aria-keyshortcuts="Enter"
          @click=${this._submit}
        >
          ${msg('vSubmit')}
        </button>
        <span class="muted">${msg('vKeysHint')}</span>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-validation-form': CsValidationForm;
  }
}
