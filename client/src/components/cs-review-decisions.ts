import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ReviewDecision } from '../../../schema/validation.ts';
import { itemDecisions } from '../data/validation.ts';
import { I18nController, dateTime, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

/**
 * The decision trail of an item, newest first: who decided what, and the message to the author.
 * Given `decisions` it shows them; given only `itemId` it loads them (the author's editor).
 */
@customElement('cs-review-decisions')
export class CsReviewDecisions extends LitElement {
  static override styles = [
    shared,
    css`
      ol {
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        border-inline-start: 3px solid var(--cs-border-strong);
        padding-inline-start: 0.6rem;
      }
      li.reject {
        border-color: var(--cs-danger);
      }
      li.needs_revision {
        border-color: var(--cs-warn);
      }
      li.accept {
        border-color: var(--cs-ok);
      }
      .message {
        white-space: pre-wrap;
        margin: 0.25rem 0 0;
      }
    `,
  ];

  @property({ attribute: false }) decisions: ReviewDecision[] | null = null;
  @property({ type: Number }) itemId = 0;
  @state() private _loaded: ReviewDecision[] = [];
  protected readonly i18n = new I18nController(this);

  override firstUpdated(): void {
    if (this.decisions === null && this.itemId)
      itemDecisions(this.itemId)
        .then((d) => (this._loaded = d))
        .catch(() => (this._loaded = []));
  }

  override render() {
    const list = this.decisions ?? this._loaded;
    if (this.decisions === null && list.length === 0) return nothing;
    const body = html`<h2>${msg('decisionsTitle')}</h2>
      ${list.length === 0 ? html`<p class="muted">${msg('decisionsNone')}</p>` : nothing}
      <ol>
        ${list.map(
          (d) =>
            html`<li class=${d.decision} data-decision=${d.decision}>
              <strong>${msg(`decision_${d.decision}`)}</strong>
              <span class="muted"
                >${d.reviewerName ?? msg('decisionAutomatic')} · ${dateTime(d.createdAt)}</span
              >
              ${d.message ? html`<p class="message" dir="auto">${d.message}</p>` : nothing}
            </li>`,
        )}
      </ol>`;
    // Loaded on its own (the author's editor) it brings its own card.
    return this.decisions === null ? html`<section class="card" id="item-decisions">${body}</section>` : body;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-review-decisions': CsReviewDecisions;
  }
}
