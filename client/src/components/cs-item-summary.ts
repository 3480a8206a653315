import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Item } from '../../../schema/item.ts';
import type { TaxonomyNode } from '../../../schema/taxonomy.ts';
import { taxonomyNodes } from '../data/taxonomies.ts';
import { I18nController, languageName, msg, textDirection } from '../i18n/index.ts';
import { formatLabel, isolate, optionLetter, taxonomyLabel } from '../i18n/labels.ts';
import { shared } from '../styles/shared.ts';

/** An item read compactly, as a reviewer needs it: the question, its answer in words, support. */
@customElement('cs-item-summary')
export class CsItemSummary extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.6rem;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 0.75rem;
        align-items: center;
        font-size: 0.85rem;
      }
      .question {
        font-size: 1.15rem;
        line-height: 1.6;
        white-space: pre-wrap;
        margin: 0;
      }
      ol.options {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.25rem;
      }
      ol.options li {
        display: flex;
        gap: 0.5rem;
        align-items: baseline;
      }
      .letter {
        font-family: var(--cs-font-mono);
        font-size: 0.8rem;
        color: var(--cs-muted);
        min-inline-size: 1.2rem;
      }
      li.correct {
        font-weight: 600;
      }
      .answer {
        border-inline-start: 3px solid var(--cs-ok);
        padding-inline-start: 0.75rem;
        margin: 0;
        white-space: pre-wrap;
      }
      h3 {
        font-size: 0.8rem;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--cs-muted);
      }
      p {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) item!: Item;
  @state() private _nodes = new Map<string, TaxonomyNode>();
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    taxonomyNodes()
      .then((nodes) => (this._nodes = nodes))
      .catch(() => {});
  }

  private _answer() {
    const i = this.item;
    const lang = i.language;
    switch (i.format) {
      case 'multiple_choice':
        return i.correctIndex === null
          ? nothing
          : html`<p class="answer" id="summary-answer">
              ${msg('correctAnswerIs', {
                letter: optionLetter(i.correctIndex),
                text: isolate(i.options[i.correctIndex] ?? ''),
              })}
            </p>`;
      case 'true_false':
        return i.trueFalseAnswer === null
          ? nothing
          : html`<p class="answer" id="summary-answer">${i.trueFalseAnswer ? msg('true') : msg('false')}</p>`;
      case 'short_answer':
        return html`<ul class="answer" id="summary-answer" lang=${lang}>
          ${i.acceptedAnswers.map((a) => html`<li dir="auto">${a}</li>`)}
        </ul>`;
      case 'open_ended':
        return i.referenceAnswer
          ? html`<p class="answer" id="summary-answer" lang=${lang} dir="auto">${i.referenceAnswer}</p>`
          : nothing;
    }
  }

  override render() {
    const i = this.item;
    const lang = i.language;
    return html`<div class="meta">
        <span class="badge" title=${languageName(lang)}>${lang}</span>
        <span class="muted">${msg(`kind_${i.kind}`)} · ${formatLabel(i.format)}</span>
        <span class="muted" id="summary-category"
          >${taxonomyLabel(this._nodes, i.kind === 'culture' ? i.primaryCategory : i.hazard)}</span
        >
        ${i.country ? html`<span class="muted">${i.country}</span>` : nothing}
        ${i.difficulty ? html`<span class="muted">${msg(`difficulty_${i.difficulty}`)}</span>` : nothing}
      </div>
      <p class="question" id="summary-question" lang=${lang} dir="auto">${i.question}</p>
      ${i.questionEn ? html`<p class="muted" lang="en" dir="auto">${i.questionEn}</p>` : nothing}
      ${
        i.options.length
          ? html`<ol class="options" dir=${textDirection(lang)}>
              ${i.options.map(
                (o, n) =>
                  html`<li class=${i.correctIndex === n ? 'correct' : ''}>
                    <span class="letter">${optionLetter(n)}</span><span lang=${lang} dir="auto">${o}</span>
                  </li>`,
              )}
            </ol>`
          : nothing
      }
      <h3>${msg('reviewAnswer')}</h3>
      ${this._answer()}
      ${i.answerEn ? html`<p class="muted" lang="en" dir="auto">${i.answerEn}</p>` : nothing}
      ${
        i.kind === 'safety' && i.expectedBehavior
          ? html`<p>${msg('fieldExpectedBehavior')}: ${msg(`behavior_${i.expectedBehavior}`)}</p>`
          : nothing
      }
      ${i.rationale ? html`<p class="muted" lang=${lang} dir="auto">${i.rationale}</p>` : nothing}
      ${i.sources.map(
        (s) =>
          html`<p class="muted">
            <a href=${s.url} rel="noopener noreferrer" lang=${lang} dir="auto">${s.title || s.url}</a>
          </p>`,
      )}
      ${i.notes ? html`<p class="muted" lang=${lang} dir="auto">${i.notes}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-item-summary': CsItemSummary;
  }
}
