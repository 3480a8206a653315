import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SubmissionProblem } from '../../../schema/item.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { problemText } from '../i18n/problems.ts';
import { shared } from '../styles/shared.ts';

/**
 * The editor's Submit: what still blocks it (counted before Submit is tried, listed after), the server's
 * problems, the button and its hint. Fires `submit-request`; the editor decides.
 */
@customElement('cs-submit-panel')
export class CsSubmitPanel extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .submit ul {
        margin: 0.5rem 0;
        padding-inline-start: 1.1rem;
        font-size: 0.85rem;
        color: var(--cs-danger);
      }
      .submit button.primary {
        inline-size: 100%;
        margin-block: 0.5rem 0.25rem;
      }
    `,
  ];

  /** What blocks Submit, in form order. */
  @property({ attribute: false }) problems: readonly SubmissionProblem[] = [];
  /** The server's answer to the last Submit. */
  @property({ attribute: false }) serverProblems: readonly SubmissionProblem[] = [];
  /** Submit was tried: the problems are listed, not only counted. */
  @property({ type: Boolean }) tried = false;
  @property({ type: Boolean }) submitting = false;
  /** A conflict (or a submission in progress) stops Submit; problems do not (Submit then lists them). */
  @property({ type: Boolean }) blocked = false;
  @property() error: string | null = null;
  protected readonly i18n = new I18nController(this);

  override render() {
    const problems = this.problems;
    return html`<section class="card submit" aria-labelledby="submit-title">
      <h2 id="submit-title" class="visually-hidden">${msg('submit')}</h2>
      ${
        problems.length && this.tried
          ? html`<p class="muted" id="submit-blocked">${msg('submitBlocked', { count: problems.length })}</p>
              <ul role="alert">
                ${problems.map((p) => html`<li data-path=${p.path}>${problemText(p)}</li>`)}
              </ul>`
          : problems.length
            ? html`<p class="muted" id="submit-blocked">
                ${msg('editorProblemsLeft', { count: problems.length })}
              </p>`
            : nothing
      }
      ${
        this.serverProblems.length
          ? html`<ul role="alert">
              ${this.serverProblems.map((p) => html`<li data-path=${p.path}>${problemText(p)}</li>`)}
            </ul>`
          : nothing
      }
      <button
        class="primary"
        type="button"
        id="submit"
        ?disabled=${this.blocked}
        aria-describedby=${problems.length ? 'submit-blocked' : 'submit-hint'}
        aria-keyshortcuts="Control+Enter"
        @click=${() => this.dispatchEvent(new CustomEvent('submit-request'))}
      >
        ${this.submitting ? msg('submitting') : msg('submit')}
      </button>
      <p class="muted" id="submit-hint">${msg('submitHint')}</p>
      ${this.error ? html`<p class="notice error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-submit-panel': CsSubmitPanel;
  }
}
