import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { OwnAnswer, Validation } from '../../../schema/validation.ts';
import { I18nController, msg, relativeTime } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

const ownAnswerText = (a: OwnAnswer | null, options: string[]) =>
  a === null
    ? '—'
    : 'variants' in a
      ? a.variants.join(' / ')
      : 'choice' in a
        ? `${a.choice + 1}. ${options[a.choice] ?? ''}`
        : a.value
          ? msg('true')
          : msg('false');

/** Every validation of an item side by side: one row per validator, newest round first. */
@customElement('cs-review-validations')
export class CsReviewValidations extends LitElement {
  static override styles = [
    shared,
    css`
      table {
        inline-size: 100%;
        border-collapse: collapse;
        font-size: 0.9rem;
      }
      th,
      td {
        text-align: start;
        padding: 0.4rem 0.5rem;
        border-block-end: 1px solid var(--cs-border);
        vertical-align: top;
      }
      .no,
      .other {
        color: var(--cs-danger);
        font-weight: 600;
      }
      .unsure {
        color: var(--cs-warn);
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) validations: Validation[] = [];
  @property({ attribute: false }) options: string[] = [];
  @property() textLang = 'en';
  protected readonly i18n = new I18nController(this);

  override render() {
    if (this.validations.length === 0) return html`<p class="muted">${msg('reviewNoValidations')}</p>`;
    return html`<table>
      <thead>
        <tr>
          <th>${msg('reviewValidator')}</th>
          <th>${msg('vGrounded')}</th>
          <th>${msg('vCorrect')}</th>
          <th>${msg('vCategory')}</th>
          <th>${msg('vQuality')}</th>
          <th>${msg('vOwnAnswerTitle')}</th>
          <th>${msg('vComment')}</th>
        </tr>
      </thead>
      <tbody>
        ${this.validations.map(
          (v) =>
            html`<tr data-validator=${v.validatorName}>
              <td>
                <span dir="auto">${v.validatorName}</span>
                <div class="muted">
                  ${msg('reviewRound', { round: v.round })} · ${relativeTime(v.submittedAt)}
                </div>
              </td>
              <td class=${v.grounded}>${msg(`verdict_${v.grounded}`)}</td>
              <td class=${v.correct}>${msg(`verdict_${v.correct}`)}</td>
              <td class=${v.category}>${v.category === 'keep' ? msg('vCategory_keep') : v.categoryPath}</td>
              <td>${v.quality}</td>
              <td lang=${this.textLang} dir="auto">
                ${ownAnswerText(v.ownAnswer, this.options)}
                ${v.ownAnswerMatches === null ? nothing : html`<span>${v.ownAnswerMatches ? '✓' : '≠'}</span>`}
              </td>
              <td lang=${this.textLang} dir="auto">${v.comment ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-review-validations': CsReviewValidations;
  }
}
