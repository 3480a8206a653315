import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TaxonomyNode } from '../../../schema/taxonomy.ts';
import type { OwnAnswer, Validation } from '../../../schema/validation.ts';
import { taxonomyNodes } from '../data/taxonomies.ts';
import { I18nController, msg, relativeTime } from '../i18n/index.ts';
import { optionLetter, taxonomyLabel } from '../i18n/labels.ts';
import { shared } from '../styles/shared.ts';

const ownAnswerText = (a: OwnAnswer | null, options: string[]) =>
  a === null
    ? '—'
    : 'variants' in a
      ? a.variants.join(' / ')
      : 'choice' in a
        ? `${optionLetter(a.choice)}. ${options[a.choice] ?? ''}`
        : a.value
          ? msg('true')
          : msg('false');

/** One row of the comparison: the value each validator gave, a key to compare, whether to compare at all. */
interface Row {
  id: string;
  label: string;
  cell: (v: Validation) => TemplateResult | string;
  key?: (v: Validation) => string;
}

/**
 * The validations of an item side by side: one column per validator, one row per question, the rows where
 * the current round's validators disagree highlighted (and said in words). Earlier rounds fold away below.
 */
@customElement('cs-review-validations')
export class CsReviewValidations extends LitElement {
  static override styles = [
    shared,
    css`
      .scroll {
        overflow-x: auto;
      }
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
      thead th {
        white-space: nowrap;
      }
      tbody th {
        font-weight: 500;
        color: var(--cs-muted);
        min-inline-size: 7rem;
      }
      tr.disagree {
        background: var(--cs-warn-soft, #fff4e0);
      }
      tr.disagree th {
        color: var(--cs-text);
        font-weight: 600;
      }
      .tag {
        display: block;
        font-size: 0.75rem;
        color: var(--cs-warn);
        font-weight: 700;
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
      .match {
        margin-inline-start: 0.35rem;
      }
      details {
        margin-block-start: 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) validations: Validation[] = [];
  @property({ attribute: false }) options: string[] = [];
  @property() textLang = 'en';
  /** The current round: its validations are compared; earlier ones fold away. */
  @property({ type: Number }) round = 1;
  /** Server-computed agreement of the current round's own answers (normalised variants); null: not comparable. */
  @property({ attribute: false }) ownAnswerAgreement: number | null = null;
  @state() private _nodes = new Map<string, TaxonomyNode>();
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    taxonomyNodes()
      .then((nodes) => (this._nodes = nodes))
      .catch(() => {});
  }

  private _rows(): Row[] {
    return [
      {
        id: 'ownAnswer',
        label: msg('reviewOwnAnswerRow'),
        cell: (v) =>
          html`<bdi lang=${this.textLang}>${ownAnswerText(v.ownAnswer, this.options)}</bdi> ${
              v.ownAnswerMatches === null
                ? nothing
                : html`<span
                    class="match"
                    title=${v.ownAnswerMatches ? msg('vOwnMatches') : msg('vOwnDiffers')}
                    >${v.ownAnswerMatches ? '✓' : '≠'}</span
                  >`
            }`,
      },
      {
        id: 'grounded',
        label: msg('vGrounded'),
        cell: (v) => html`<span class=${v.grounded}>${msg(`verdict_${v.grounded}`)}</span>`,
        key: (v) => v.grounded,
      },
      {
        id: 'correct',
        label: msg('vCorrect'),
        cell: (v) => html`<span class=${v.correct}>${msg(`verdict_${v.correct}`)}</span>`,
        key: (v) => v.correct,
      },
      {
        id: 'category',
        label: msg('vCategory'),
        cell: (v) =>
          html`<span class=${v.category}
            >${v.category === 'keep' ? msg('vCategory_keep') : taxonomyLabel(this._nodes, v.categoryPath)}</span
          >`,
        key: (v) => (v.category === 'keep' ? 'keep' : `other:${v.categoryPath}`),
      },
      {
        id: 'quality',
        label: msg('vQuality'),
        cell: (v) => String(v.quality),
        key: (v) => String(v.quality),
      },
      {
        id: 'comment',
        label: msg('vComment'),
        cell: (v) => html`<span lang=${this.textLang} dir="auto">${v.comment ?? ''}</span>`,
      },
    ];
  }

  private _disagree(row: Row, list: Validation[], current: boolean): boolean {
    if (!current || list.length < 2) return false;
    if (row.id === 'ownAnswer') return this.ownAnswerAgreement !== null && this.ownAnswerAgreement < 1;
    return row.key ? new Set(list.map(row.key)).size > 1 : false;
  }

  private _table(list: Validation[], current: boolean) {
    return html`<div class="scroll" tabindex="0">
      <table data-round=${list[0]?.round ?? 0}>
        <thead>
          <tr>
            <td></td>
            ${list.map(
              (v) =>
                html`<th scope="col" data-validator=${v.validatorName}>
                  <span dir="auto">${v.validatorName}</span>
                  <div class="muted">${relativeTime(v.submittedAt)}</div>
                </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${this._rows().map((row) => {
            const disagree = this._disagree(row, list, current);
            return html`<tr data-row=${row.id} class=${disagree ? 'disagree' : ''}>
              <th scope="row">
                ${row.label} ${disagree ? html`<span class="tag">${msg('reviewDisagree')}</span>` : nothing}
              </th>
              ${list.map((v) => html`<td data-validator=${v.validatorName}>${row.cell(v)}</td>`)}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    if (this.validations.length === 0) return html`<p class="muted">${msg('reviewNoValidations')}</p>`;
    const current = this.validations.filter((v) => v.round === this.round);
    const earlier = [...new Set(this.validations.filter((v) => v.round !== this.round).map((v) => v.round))];
    return html`${current.length ? this._table(current, true) : nothing}
    ${
      earlier.length
        ? html`<details>
            <summary>${msg('reviewEarlierRounds')}</summary>
            ${earlier.map(
              (round) =>
                html`<h3>${msg('reviewRound', { round })}</h3>
                  ${this._table(
                    this.validations.filter((v) => v.round === round),
                    false,
                  )}`,
            )}
          </details>`
        : nothing
    }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-review-validations': CsReviewValidations;
  }
}
