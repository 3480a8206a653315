import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Decision } from '../../../schema/validation.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

/** In key order: 1 accept · 2 needs revision · 3 reject. */
const DECISIONS: Decision[] = ['accept', 'needs_revision', 'reject'];

export interface DecisionSubmit {
  decision: Decision;
  message: string | null;
}

/**
 * The reviewer's decision, keyboard first as on Validate: nothing is chosen until the reviewer picks (1–3);
 * a decision that needs a message moves focus to it; Enter records (Ctrl+Enter from the message). Fires
 * `decision-submit`.
 */
@customElement('cs-review-decision-form')
export class CsReviewDecisionForm extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.6rem;
      }
      .choices {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      .choices label {
        display: inline-flex;
        gap: 0.35rem;
        align-items: center;
        margin: 0;
        padding: 0.35rem 0.7rem;
        border: 1px solid var(--cs-border);
        border-radius: var(--cs-radius);
        color: var(--cs-text);
        font-weight: 500;
        font-size: 0.95rem;
        cursor: pointer;
      }
      .choices label:has(input:checked) {
        border-color: var(--cs-accent);
        background: var(--cs-accent-soft);
      }
      kbd {
        font-family: var(--cs-font-mono);
        font-size: 0.75rem;
        color: var(--cs-muted);
      }
      button.primary {
        inline-size: 100%;
      }
    `,
  ];

  @property({ type: Boolean }) busy = false;
  @state() private _decision: Decision | null = null;
  @state() private _message = '';
  @query('#decision-message') private _messageBox!: HTMLTextAreaElement;
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this._onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this._onKey);
  }

  private get _ready(): boolean {
    return this._decision !== null && (this._decision === 'accept' || this._message.trim() !== '');
  }

  private async _choose(decision: Decision) {
    this._decision = decision;
    if (decision === 'accept') return;
    await this.updateComplete;
    this._messageBox.focus();
  }

  private readonly _onKey = (e: KeyboardEvent) => {
    const target = e.composedPath()[0];
    const typing =
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement ||
      (target instanceof HTMLInputElement && target.type !== 'radio');
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && target === this._messageBox) {
      e.preventDefault();
      this._submit();
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (/^[1-3]$/.test(e.key)) {
      e.preventDefault();
      void this._choose(DECISIONS[Number(e.key) - 1]);
    } else if (
      e.key === 'Enter' &&
      !(target instanceof HTMLAnchorElement || target instanceof HTMLButtonElement)
    ) {
      e.preventDefault();
      this._submit();
    }
  };

  private _submit() {
    if (!this._ready || this.busy) return;
    const message = this._message.trim() ? this._message : null;
    this.dispatchEvent(
      new CustomEvent<DecisionSubmit>('decision-submit', { detail: { decision: this._decision!, message } }),
    );
  }

  override render() {
    const decision = this._decision;
    return html`<h2 id="decide-title">${msg('reviewDecide')}</h2>
      <div class="choices" role="radiogroup" aria-labelledby="decide-title">
        ${DECISIONS.map(
          (d, i) =>
            html`<label
              ><input
                type="radio"
                name="decision"
                value=${d}
                aria-keyshortcuts=${String(i + 1)}
                .checked=${decision === d}
                @change=${() => this._choose(d)}
              />${msg(`decide_${d}`)} <kbd>${i + 1}</kbd></label
            >`,
        )}
      </div>
      <div>
        <label for="decision-message"
          >${decision === null || decision === 'accept' ? msg('reviewMessageOptional') : msg('reviewMessage')}</label
        >
        <textarea
          id="decision-message"
          dir="auto"
          aria-required=${decision !== null && decision !== 'accept' ? 'true' : 'false'}
          .value=${this._message}
          @input=${(e: Event) => (this._message = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
      </div>
      <button
        class="primary"
        type="button"
        id="decide"
        aria-keyshortcuts="Enter"
        ?disabled=${!this._ready || this.busy}
        @click=${this._submit}
      >
        ${msg('reviewDecideButton')}
      </button>
      ${decision === null ? html`<p class="muted" id="decide-choose">${msg('reviewChooseDecision')}</p>` : nothing}
      <p class="muted" id="decide-keys">${msg('reviewKeysHint')}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-review-decision-form': CsReviewDecisionForm;
  }
}
