import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ItemFields } from '../../../schema/item.ts';
import { decisions as decisionKinds, type Adjudication, type Decision } from '../../../schema/validation.ts';
import { decide, getAdjudication, reviseItem } from '../data/validation.ts';
import { I18nController, dateTime, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import type { FieldChange } from './field-change.ts';
import './cs-item-form.ts';
import './cs-review-decisions.ts';
import './cs-review-validations.ts';
import './cs-status-chip.ts';
import { errorText } from '../data/api.ts';

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** Adjudication: the item, its revisions and every validation side by side; edit; decide. */
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
          grid-template-columns: 1fr;
        }
      }
      aside {
        display: grid;
        gap: 1rem;
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
      .decide label {
        display: flex;
        gap: 0.4rem;
        align-items: center;
        color: var(--cs-text);
        font-weight: 500;
      }
    `,
  ];

  @property({ type: Number }) itemId = 0;
  @state() private _view: Adjudication | null = null;
  @state() private _error: string | null = null;
  @state() private _editing: ItemFields | null = null;
  @state() private _decision: Decision = 'accept';
  @state() private _message = '';
  @state() private _notice: string | null = null;
  protected readonly i18n = new I18nController(this);

  // Not connectedCallback: a lazily defined element gets its properties restored at the first update.
  override firstUpdated(): void {
    void this._load();
  }

  private async _load() {
    try {
      this._view = await getAdjudication(this.itemId);
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _act(fn: () => Promise<unknown>, notice: string) {
    this._error = null;
    try {
      await fn();
      this._notice = notice;
      this._editing = null;
      await this._load();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private _saveEdit() {
    const view = this._view!;
    const changes = Object.fromEntries(
      Object.entries(this._editing!).filter(
        ([k, v]) => JSON.stringify(v) !== JSON.stringify(view.item[k as keyof ItemFields]),
      ),
    );
    return this._act(
      () => reviseItem(view.item.id, { version: view.item.version, changes }),
      msg('reviewSaved'),
    );
  }

  private _decide() {
    const view = this._view!;
    const message = this._message.trim() ? this._message : null;
    return this._act(
      () => decide(view.item.id, view.item.version, this._decision, message),
      msg(`decision_${this._decision}`),
    );
  }

  private _decisionForm() {
    return html`<section class="card decide" aria-labelledby="decide-title">
      <h2 id="decide-title">${msg('reviewDecide')}</h2>
      <div role="radiogroup">
        ${decisionKinds.map(
          (d) =>
            html`<label
              ><input
                type="radio"
                name="decision"
                value=${d}
                .checked=${this._decision === d}
                @change=${() => (this._decision = d)}
              />${msg(`decide_${d}`)}</label
            >`,
        )}
      </div>
      <label for="decision-message"
        >${this._decision === 'accept' ? msg('reviewMessageOptional') : msg('reviewMessage')}</label
      >
      <textarea
        id="decision-message"
        dir="auto"
        .value=${this._message}
        @input=${(e: Event) => (this._message = (e.target as HTMLTextAreaElement).value)}
      ></textarea>
      <button
        class="primary"
        type="button"
        id="decide"
        ?disabled=${this._decision !== 'accept' && !this._message.trim()}
        @click=${this._decide}
      >
        ${msg('reviewDecideButton')}
      </button>
    </section>`;
  }

  override render() {
    const view = this._view;
    const error = this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing;
    if (!view)
      return html`${error}
        <p class="muted">${msg('loading')}</p>`;
    const { item, summary } = view;
    const editable = item.status === 'in_review' || item.status === 'accepted';
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
      ${error} ${this._notice ? html`<p class="notice ok" role="status">${this._notice}</p>` : nothing}
      <section class="card" aria-labelledby="validations-title">
        <h2 id="validations-title">${msg('reviewValidationsTitle')}</h2>
        <cs-review-validations
          .validations=${view.validations}
          .options=${item.options}
          .textLang=${item.language}
        ></cs-review-validations>
        ${
          view.ownAnswerAgreement === null
            ? nothing
            : html`<p class="muted">
                ${msg('reviewOwnAgreement', { percent: percent(view.ownAnswerAgreement) })}
              </p>`
        }
      </section>
      <div class="layout">
        <section>
          <cs-item-form
            .fields=${this._editing ?? item}
            ?readonly=${!this._editing}
            @field-change=${(e: CustomEvent<FieldChange>) =>
              (this._editing = { ...this._editing!, [e.detail.field]: e.detail.value })}
          ></cs-item-form>
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
        </section>
        <aside>
          ${view.canDecide ? this._decisionForm() : nothing}
          <section class="card">
            <cs-review-decisions .decisions=${view.decisions}></cs-review-decisions>
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
