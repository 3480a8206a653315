import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  correctnessValues,
  safetyOutcomes,
  type Correctness,
  type RatingDisagreement,
  type SafetyOutcome,
} from '../../../schema/scoring.ts';
import { ratingDisagreements, setReviewerRating } from '../data/scoring.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { failed, renderTask } from './task-status.ts';

/**
 * A reviewer's list of a campaign's answers on which the raters disagree (correctness or safety outcome):
 * each shows the question, the answer and what each rater said — never the model — and takes a reviewer
 * rating, which then counts in the report instead of the raters' split.
 */
@customElement('cs-rating-disagreements')
export class CsRatingDisagreements extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.75rem;
      }
      article {
        display: grid;
        gap: 0.4rem;
      }
      h3 {
        margin: 0;
        font-size: 0.85rem;
        color: var(--muted, #555);
      }
      p {
        margin: 0;
      }
      .said {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        padding: 0;
        margin: 0;
        list-style: none;
      }
      .said li {
        border: 1px solid var(--border, #ccc);
        border-radius: 999px;
        padding: 0.1rem 0.6rem;
      }
      .row {
        display: flex;
        gap: 0.6rem;
        align-items: end;
        flex-wrap: wrap;
      }
    `,
  ];

  @property({ type: Number }) campaignId = 0;
  /** What the last resolution failed with. */
  @state() private _failure: unknown = null;
  protected readonly i18n = new I18nController(this);

  /** The campaign's disagreements; another campaign aborts the request for the one before. */
  private readonly _items = new Task(this, {
    task: ([campaignId], { signal }) => ratingDisagreements(campaignId, { signal }),
    args: () => [this.campaignId] as const,
  });

  private async _saveReviewerRating(d: RatingDisagreement, form: HTMLElement) {
    const pick = <T extends string>(name: string) =>
      form.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!.value as T;
    this._failure = null;
    try {
      await setReviewerRating(d.responseId, {
        correctness: pick<Correctness>('correctness'),
        safetyOutcome: d.kind === 'safety' ? pick<SafetyOutcome>('safetyOutcome') : null,
      });
      await this._items.run();
    } catch (err) {
      this._failure = err;
    }
  }

  private _said(d: RatingDisagreement) {
    return html`<ul class="said">
      ${d.ratings.map(
        (r) =>
          html`<li>
            ${msg(`correctness_${r.correctness}`)}${r.safetyOutcome ? html` · ${msg(`safety_${r.safetyOutcome}`)}` : nothing}
          </li>`,
      )}
    </ul>`;
  }

  private _form(d: RatingDisagreement) {
    return html`<div class="row">
      <div>
        <label for="correctness-${d.responseId}">${msg('correctness')}</label>
        <select id="correctness-${d.responseId}" name="correctness">
          ${correctnessValues.map((c) => html`<option value=${c}>${msg(`correctness_${c}`)}</option>`)}
        </select>
      </div>
      ${
        d.kind === 'safety'
          ? html`<div>
              <label for="safety-${d.responseId}">${msg('safetyOutcome')}</label>
              <select id="safety-${d.responseId}" name="safetyOutcome">
                ${safetyOutcomes.map((s) => html`<option value=${s}>${msg(`safety_${s}`)}</option>`)}
              </select>
            </div>`
          : nothing
      }
      <button
        type="button"
        @click=${(e: Event) => this._saveReviewerRating(d, (e.target as HTMLElement).closest('article')!)}
      >
        ${msg('saveReviewerRating')}
      </button>
    </div>`;
  }

  override render() {
    return html`<h2>${msg('disagreementsTitle')}</h2>
      <p class="muted">${msg('disagreementsIntro')}</p>
      ${this._failure ? failed(this._failure) : nothing}
      ${renderTask(this._items, (items) => this._list(items), { keep: true })}`;
  }

  private _list(items: RatingDisagreement[]) {
    return html`${items.length === 0 ? html`<p id="no-disagreements" class="muted">${msg('noDisagreements')}</p>` : nothing}
    ${repeat(
      items,
      // Keyed: each answer keeps its own form, so a rating chosen for one never shows on another.
      (d) => d.responseId,
      (d) =>
        html`<article class="card" data-response=${d.responseId}>
          <h3>${msg('theQuestion')}</h3>
          <p class="text" lang=${d.language} dir="auto">${d.question}</p>
          <h3>${msg('theAnswer')}</h3>
          <p class="text disagreement-answer" lang=${d.language} dir="auto">${d.response}</p>
          <h3>${msg('ratersSaid')}</h3>
          ${this._said(d)} ${this._form(d)}
        </article>`,
    )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-rating-disagreements': CsRatingDisagreements;
  }
}
