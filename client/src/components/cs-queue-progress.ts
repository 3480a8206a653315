import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { QueueEmptyReason, QueueProgress } from '../../../schema/validation.ts';
import { I18nController, msg, type MessageKey } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

export type QueueKind = 'validate' | 'review' | 'rate';

const REASON_KEY = {
  'no-languages': 'no_languages',
  'nothing-waiting': 'nothing_waiting',
  'only-own': 'only_own',
  'all-done': 'all_done',
} as const satisfies Record<QueueEmptyReason, string>;

/** Where to go when a queue has nothing left for you: write (nothing to validate), validate, or the list. */
const NEXT_STEP: Record<QueueKind, Record<QueueEmptyReason, 'write' | 'validate' | 'items' | null>> = {
  validate: { 'no-languages': null, 'nothing-waiting': 'write', 'only-own': 'write', 'all-done': 'items' },
  review: {
    'no-languages': null,
    'nothing-waiting': 'validate',
    'only-own': 'validate',
    'all-done': 'validate',
  },
  rate: {
    'no-languages': null,
    'nothing-waiting': 'validate',
    'only-own': 'validate',
    'all-done': 'validate',
  },
};
const HREF = { write: '/items/new', validate: '/validate', items: '/items' } as const;

/**
 * A queue's progress for the caller ("12 of 40 left in your languages", a bar of what is done) and, when
 * nothing is left, why and what to do next.
 */
@customElement('cs-queue-progress')
export class CsQueueProgress extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.35rem;
      }
      .line {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        align-items: center;
        font-size: 0.9rem;
      }
      .bar {
        flex: 1 1 8rem;
        max-inline-size: 16rem;
        block-size: 0.45rem;
        border-radius: 999px;
        background: var(--cs-border);
        overflow: hidden;
      }
      .bar span {
        display: block;
        block-size: 100%;
        background: var(--cs-accent);
      }
      .empty {
        display: grid;
        gap: 0.5rem;
      }
      .empty p {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) progress: QueueProgress | null = null;
  @property() kind: QueueKind = 'validate';
  protected readonly i18n = new I18nController(this);

  private _empty(reason: QueueEmptyReason) {
    const step = NEXT_STEP[this.kind][reason];
    const key: MessageKey = `queueEmpty_${this.kind}_${REASON_KEY[reason]}`;
    return html`<div class="card empty" id="queue-empty" data-reason=${reason} role="status">
      <p>${msg(key)}</p>
      ${reason === 'no-languages' ? html`<p class="muted">${msg('queueAskLanguages')}</p>` : nothing}
      ${step ? html`<p><a href=${HREF[step]} id="queue-next-step">${msg(`queueGo_${step}`)}</a></p>` : nothing}
    </div>`;
  }

  override render() {
    const p = this.progress;
    if (!p) return nothing;
    const done = p.total - p.left;
    const share = p.total === 0 ? 1 : Math.max(0, done) / p.total;
    const count = { left: p.left, total: p.total };
    return html`${
      p.total > 0
        ? html`<div class="line">
            <span id="queue-count"
              >${p.allLanguages ? msg('queueProgressAll', count) : msg('queueProgress', count)}</span
            >
            <div
              class="bar"
              role="progressbar"
              aria-label=${msg('queueProgressLabel')}
              aria-valuemin="0"
              aria-valuemax=${p.total}
              aria-valuenow=${Math.max(0, done)}
            >
              <span style="inline-size: ${Math.round(share * 100)}%"></span>
            </div>
          </div>`
        : nothing
    }
    ${p.reason ? this._empty(p.reason) : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-queue-progress': CsQueueProgress;
  }
}
