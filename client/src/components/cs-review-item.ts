import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ItemFields } from '../../../schema/item.ts';
import type { ReviewView, QueueProgress } from '../../../schema/validation.ts';
import { decide, getReviewView, reviewQueue, reviseItem } from '../data/validation.ts';
import { I18nController, dateTime, msg } from '../i18n/index.ts';
import { navigate } from '../router.ts';
import { shared } from '../styles/shared.ts';
import { carryNotice, takeNotice } from './carried-notice.ts';
import type { DecisionSubmit } from './cs-review-decision-form.ts';
import type { FieldChange } from './field-change.ts';
import { failed, renderTask } from './task-status.ts';
import './cs-item-form.ts';
import './cs-item-summary.ts';
import './cs-model-trials.ts';
import './cs-queue-progress.ts';
import './cs-review-decision-form.ts';
import './cs-review-decisions.ts';
import './cs-review-validations.ts';
import './cs-status-chip.ts';

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/**
 * Review of one item: the item read compactly, every validator's answers side by side with the disagreements
 * marked, edit in place, decide — and on to the next item in the queue.
 */
@customElement('cs-review-item')
export class CsReviewItem extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      .layout {
        display: grid;
        gap: 1rem;
        grid-template-columns: minmax(0, 1fr) 22rem;
        align-items: start;
      }
      @media (max-width: 960px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .main,
      aside {
        display: grid;
        gap: 1rem;
        min-inline-size: 0;
      }
      .head {
        display: flex;
        gap: 0.6rem;
        align-items: center;
        flex-wrap: wrap;
      }
      ul.revisions {
        padding-inline-start: 1rem;
        font-size: 0.85rem;
      }
    `,
  ];

  @property({ type: Number }) itemId = 0;
  @state() private _progress: QueueProgress | null = null;
  /** What the last edit or decision failed with. */
  @state() private _failure: unknown = null;
  @state() private _editing: ItemFields | null = null;
  @state() private _busy = false;
  /** The previous decision's confirmation ("Accepted. Next item."), carried over the navigation. */
  @state() private _notice: string | null = takeNotice();
  protected readonly i18n = new I18nController(this);

  // Not connectedCallback: a lazily defined element gets its properties restored at the first update.
  override firstUpdated(): void {
    reviewQueue({ pageSize: 1 })
      .then((q) => (this._progress = q.progress))
      .catch(() => {});
  }

  private readonly _view = new Task(this, {
    task: ([itemId], { signal }) => getReviewView(itemId, { signal }),
    args: () => [this.itemId] as const,
  });

  private async _saveEdit() {
    const view = this._view.value!;
    const changes = Object.fromEntries(
      Object.entries(this._editing!).filter(
        ([k, v]) => JSON.stringify(v) !== JSON.stringify(view.item[k as keyof ItemFields]),
      ),
    );
    this._failure = null;
    try {
      await reviseItem(view.item.id, { version: view.item.version, changes });
      this._notice = msg('reviewSaved');
      this._editing = null;
      await this._view.run();
    } catch (err) {
      this._failure = err;
    }
  }

  /** Records the decision, then opens the next item of the queue (or the queue, when this was the last). */
  private async _decide(e: CustomEvent<DecisionSubmit>) {
    const view = this._view.value!;
    const { decision, message } = e.detail;
    this._busy = true;
    this._failure = null;
    try {
      await decide(view.item.id, view.item.version, decision, message);
      const next = (await reviewQueue({ pageSize: 1 })).items[0];
      const label = msg(`decision_${decision}`);
      carryNotice(
        next ? msg('reviewDecidedNext', { decision: label }) : msg('reviewDecidedLast', { decision: label }),
      );
      navigate(next ? `/review/${next.id}` : '/review');
    } catch (err) {
      this._failure = err;
    } finally {
      this._busy = false;
    }
  }

  private _itemSection(view: ReviewView) {
    const { item } = view;
    const editable = item.status === 'in_review' || item.status === 'accepted';
    return html`<section class="card" aria-labelledby="item-title">
      <h2 id="item-title" class="visually-hidden">${msg('reviewItemSection')}</h2>
      ${
        this._editing
          ? html`<cs-item-form
              .fields=${this._editing}
              @field-change=${(e: CustomEvent<FieldChange>) =>
                (this._editing = { ...this._editing!, [e.detail.field]: e.detail.value })}
            ></cs-item-form>`
          : html`<cs-item-summary .item=${item}></cs-item-summary>`
      }
      <div class="row">
        ${
          this._editing
            ? html`<button class="primary" type="button" id="save-edit" @click=${this._saveEdit}>
                  ${msg('save')}
                </button>
                <button type="button" @click=${() => (this._editing = null)}>${msg('cancel')}</button>`
            : editable
              ? html`<button type="button" id="edit" @click=${() => (this._editing = { ...item })}>
                  ${msg('edit')}
                </button>`
              : nothing
        }
        ${item.status === 'accepted' ? html`<span class="muted">${msg('reviewEditAccepted')}</span>` : nothing}
      </div>
    </section>`;
  }

  override render() {
    const error = this._failure ? failed(this._failure) : nothing;
    const notice = this._notice
      ? html`<p class="notice ok" role="status" id="decided">${this._notice}</p>`
      : nothing;
    const progress =
      this._progress && !this._progress.reason
        ? html`<cs-queue-progress kind="review" .progress=${this._progress}></cs-queue-progress>`
        : nothing;
    const view = this._view.value;
    // Nothing to show yet: loading, or the item could not be read (then the way back to the queue).
    if (!view)
      return html`${notice}${renderTask(this._view, () => nothing)}
      ${this._view.status === TaskStatus.ERROR ? html`<a href="/review">← ${msg('reviewBackToQueue')}</a>` : nothing}`;
    const reloadFailed = this._view.status === TaskStatus.ERROR ? failed(this._view.error) : nothing;
    return this._page(view, html`${progress} ${notice} ${error} ${reloadFailed}`);
  }

  private _page(view: ReviewView, notices: unknown) {
    const { item, summary } = view;
    return html`<div class="head">
        <a href="/review">← ${msg('reviewTitle')}</a>
        <h1>${msg('reviewItemTitle')}</h1>
        <span class="badge">${item.uid}</span>
        <cs-status-chip .status=${item.status}></cs-status-chip>
        <span class="muted" id="agreement"
          >${msg('reviewAgreement')}: ${percent(summary.agreement)} ·
          ${msg('reviewValidations', { count: summary.validations })}</span
        >
      </div>
      ${notices}
      <div class="layout">
        <div class="main">
          ${this._itemSection(view)}
          <section class="card" aria-labelledby="validations-title">
            <h2 id="validations-title">${msg('reviewAnswersTitle')}</h2>
            <cs-review-validations
              .validations=${view.validations}
              .options=${item.options}
              .textLang=${item.language}
              .round=${summary.round}
              .ownAnswerAgreement=${view.ownAnswerAgreement}
            ></cs-review-validations>
            ${
              view.ownAnswerAgreement === null
                ? nothing
                : html`<p class="muted">
                    ${msg('reviewOwnAgreement', { percent: percent(view.ownAnswerAgreement) })}
                  </p>`
            }
          </section>
        </div>
        <aside>
          ${
            view.canDecide
              ? html`<section class="card">
                  <cs-review-decision-form
                    ?busy=${this._busy}
                    @decision-submit=${this._decide}
                  ></cs-review-decision-form>
                </section>`
              : nothing
          }
          <section class="card">
            <cs-review-decisions .decisions=${view.decisions}></cs-review-decisions>
          </section>
          <section class="card">
            <cs-model-trials
              .itemId=${item.id}
              .datasetId=${item.datasetId}
              .textLang=${item.language}
              .kind=${item.kind}
            ></cs-model-trials>
          </section>
          <section class="card" aria-labelledby="rev-title">
            <h2 id="rev-title">${msg('revisionsTitle')}</h2>
            <ul class="revisions">
              ${view.revisions.map(
                (r) =>
                  html`<li>
                    ${msg('revisionLine', { version: r.version, action: msg(`action_${r.action}`), user: r.userName })}
                    <span class="muted">${dateTime(r.createdAt)}</span>
                  </li>`,
              )}
            </ul>
          </section>
        </aside>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-review-item': CsReviewItem;
  }
}
