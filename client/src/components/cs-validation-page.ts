import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type {
  MyValidationStats,
  OwnAnswer,
  ValidationTask,
  ValidationInput,
} from '../../../schema/validation.ts';
import { answerTask, myValidationStats, nextTask, giveBackTask, submitTask } from '../data/validation.ts';
import type { TaxonomyNode } from '../../../schema/taxonomy.ts';
import { taxonomyNodes } from '../data/taxonomies.ts';
import { I18nController, languageName, msg, textDirection } from '../i18n/index.ts';
import { formatLabel, isolate, optionLetter, taxonomyLabel } from '../i18n/labels.ts';
import { shared } from '../styles/shared.ts';
import './cs-queue-progress.ts';
import './cs-validation-form.ts';
import { errorText } from '../data/api.ts';
import { validationPageStyles } from './validation-page-styles.ts';

/**
 * "Next task": one validation at a time. The validator writes their own answer first; only then is
 * the reference shown with the judgement form. Digits pick options; Ctrl+Enter reveals.
 */
@customElement('cs-validation-page')
export class CsValidationPage extends LitElement {
  static override styles = [shared, validationPageStyles];

  @state() private _task: ValidationTask | null = null;
  @state() private _loading = true;
  @state() private _busy = false;
  @state() private _error: string | null = null;
  @state() private _stats: MyValidationStats | null = null;
  @state() private _variants = '';
  @state() private _choice: number | null = null;
  @state() private _nodes = new Map<string, TaxonomyNode>();
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this._onKey);
    void taxonomyNodes()
      .then((nodes) => (this._nodes = nodes))
      .catch(() => {});
    void this._next();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this._onKey);
  }

  private async _run(fn: () => Promise<void>) {
    this._busy = true;
    this._error = null;
    try {
      await fn();
    } catch (err) {
      this._error = errorText(err);
    } finally {
      this._busy = false;
      this._loading = false;
    }
  }

  private _next() {
    return this._run(async () => {
      this._variants = '';
      this._choice = null;
      this._task = (await nextTask()).task;
      this._stats = await myValidationStats().catch(() => null);
    });
  }

  private get _needsOwnAnswer(): boolean {
    return !!this._task && this._task.ownAnswerRequired && !this._task.ownAnswer;
  }

  private _ownAnswer(): OwnAnswer | null {
    const format = this._task?.item.format;
    if (format === 'multiple_choice') return this._choice === null ? null : { choice: this._choice };
    if (format === 'true_false') return this._choice === null ? null : { value: this._choice === 0 };
    const variants = this._variants
      .split('\n')
      .map((v) => v.trim())
      .filter(Boolean);
    return variants.length ? { variants } : null;
  }

  private _reveal() {
    const task = this._task;
    const answer = this._ownAnswer();
    if (!task || !answer || this._busy) return;
    return this._run(async () => {
      this._task = await answerTask(task.id, answer);
    });
  }

  private _submit(e: CustomEvent<ValidationInput>) {
    const task = this._task;
    if (!task) return;
    return this._run(async () => {
      await submitTask(task.id, e.detail);
      await this._next();
    });
  }

  private _giveBack() {
    const task = this._task;
    if (!task) return;
    return this._run(async () => {
      await giveBackTask(task.id);
      this._task = null;
    });
  }

  private readonly _onKey = (e: KeyboardEvent) => {
    if (!this._needsOwnAnswer) return;
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      void this._reveal();
      return;
    }
    const format = this._task!.item.format;
    const count =
      format === 'true_false' ? 2 : format === 'multiple_choice' ? this._task!.item.options.length : 0;
    if (count && /^[1-6]$/.test(e.key) && Number(e.key) <= count) {
      e.preventDefault();
      this._choice = Number(e.key) - 1;
    } else if (count && e.key === 'Enter' && this._choice !== null) {
      e.preventDefault();
      void this._reveal();
    }
  };

  private _ownAnswerStep(task: ValidationTask) {
    const { format, language } = task.item;
    const choices =
      format === 'true_false'
        ? [msg('true'), msg('false')]
        : format === 'multiple_choice'
          ? task.item.options
          : [];
    return html`<section class="card" aria-labelledby="own-title">
      <h2 id="own-title">${msg('vOwnAnswerTitle')}</h2>
      <p class="muted">${msg('vOwnAnswerHint')}</p>
      ${
        choices.length
          ? html`<div class="choices" role="radiogroup" dir=${textDirection(language)}>
              ${choices.map(
                (c, i) =>
                  html`<label
                    ><input
                      type="radio"
                      name="own"
                      .checked=${this._choice === i}
                      @change=${() => (this._choice = i)}
                    />${
                      format === 'multiple_choice'
                        ? html`<span class="letter" dir="ltr">${optionLetter(i)}</span>`
                        : nothing
                    }<span lang=${language} dir="auto">${c}</span> <kbd>${i + 1}</kbd></label
                  >`,
              )}
            </div>`
          : html`<label for="own-variants">${msg('vOwnVariants')}</label>
              <textarea
                id="own-variants"
                lang=${language}
                dir="auto"
                .value=${this._variants}
                @input=${(e: Event) => (this._variants = (e.target as HTMLTextAreaElement).value)}
              ></textarea>`
      }
      <button
        class="primary"
        type="button"
        id="reveal"
        aria-keyshortcuts="Control+Enter"
        ?disabled=${!this._ownAnswer() || this._busy}
        @click=${this._reveal}
      >
        ${msg('vReveal')}
      </button>
    </section>`;
  }

  private _reference(task: ValidationTask) {
    const r = task.reference!;
    const lang = task.item.language;
    return html`<section class="card reference" aria-labelledby="ref-title">
      <h2 id="ref-title">${msg('vReference')}</h2>
      ${
        task.ownAnswerMatches === null
          ? nothing
          : html`<p class="notice ${task.ownAnswerMatches ? 'ok' : ''}" id="own-match">
              ${task.ownAnswerMatches ? msg('vOwnMatches') : msg('vOwnDiffers')}
            </p>`
      }
      ${r.referenceAnswer ? html`<p lang=${lang} dir="auto">${r.referenceAnswer}</p>` : nothing}
      ${
        r.acceptedAnswers.length
          ? html`<ul>
              ${r.acceptedAnswers.map((a) => html`<li lang=${lang} dir="auto">${a}</li>`)}
            </ul>`
          : nothing
      }
      ${
        r.correctIndex !== null && task.item.options[r.correctIndex] !== undefined
          ? html`<p id="correct-answer">
              ${msg('correctAnswerIs', {
                letter: optionLetter(r.correctIndex),
                text: isolate(task.item.options[r.correctIndex]),
              })}
            </p>`
          : nothing
      }
      ${
        r.trueFalseAnswer === null
          ? nothing
          : html`<p id="correct-answer">
              ${msg('correctValueIs', { value: r.trueFalseAnswer ? msg('true') : msg('false') })}
            </p>`
      }
      ${
        task.item.kind === 'safety' && r.expectedBehavior
          ? html`<p>${msg('fieldExpectedBehavior')}: ${msg(`behavior_${r.expectedBehavior}`)}</p>`
          : nothing
      }
      ${r.rationale ? html`<p class="muted" lang=${lang} dir="auto">${r.rationale}</p>` : nothing}
      ${r.sources.map((s) => html`<p class="muted"><a href=${s.url} rel="noopener noreferrer">${s.title}</a></p>`)}
    </section>`;
  }

  override render() {
    const stats = this._stats;
    const head = html`<div class="head">
      <h1>${msg('vTitle')}</h1>
      ${
        stats
          ? html`<span class="muted" id="my-stats"
              >${msg('vMyStats', { count: stats.validations })}${
                stats.goldAccuracy === null
                  ? ''
                  : ` · ${msg('vGoldAccuracy', { percent: Math.round(stats.goldAccuracy * 100) })}`
              }</span
            >`
          : nothing
      }
    </div>`;
    const error = this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing;
    if (this._loading)
      return html`${head}
        <p class="muted">${msg('loading')}</p>`;
    const task = this._task;
    // What is left in the caller's languages; with no task, why (cs-queue-progress says it and what to do next).
    const progress = html`<cs-queue-progress
      kind="validate"
      .progress=${stats?.queue ?? null}
    ></cs-queue-progress>`;
    if (!task)
      return html`${head}${error}
        <div id="no-task">${stats ? progress : html`<p class="card">${msg('vNoTask')}</p>`}</div>
        <div><button type="button" @click=${this._next}>${msg('vNext')}</button></div>`;
    const { item } = task;
    const picked = task.ownAnswer && 'choice' in task.ownAnswer ? task.ownAnswer.choice : this._choice;
    return html`${head}${progress}${error}
      <section class="card" aria-labelledby="q-title">
        <div class="head">
          <h2 id="q-title" class="visually-hidden">${msg('sectionQuestion')}</h2>
          <span class="badge" title=${languageName(item.language)}>${item.language}</span>
          <span class="muted">${msg(`kind_${item.kind}`)} · ${formatLabel(item.format)}</span>
          <span class="muted" id="task-category"
            >${taxonomyLabel(this._nodes, item.kind === 'culture' ? item.primaryCategory : item.hazard)}</span
          >
        </div>
        ${
          item.context
            ? html`<h3 class="muted passage-title">${msg('contextHeading')}</h3>
                <p class="passage" id="task-context" lang=${item.language} dir="auto">${item.context}</p>`
            : nothing
        }
        <p class="question" id="task-question" lang=${item.language} dir="auto">${item.question}</p>
        ${item.questionEn ? html`<p class="muted" lang="en" dir="auto">${item.questionEn}</p>` : nothing}
        ${
          item.options.length
            ? html`<ol class="options" dir=${textDirection(item.language)}>
                ${item.options.map(
                  (o, i) =>
                    html`<li
                      class=${task.reference?.correctIndex === i ? 'correct' : picked === i ? 'picked' : ''}
                      lang=${item.language}
                      dir="auto"
                    >
                      ${o}
                    </li>`,
                )}
              </ol>`
            : nothing
        }
      </section>
      ${
        this._needsOwnAnswer
          ? this._ownAnswerStep(task)
          : html`${this._reference(task)}
              <section class="card" aria-label=${msg('vJudgement')}>
                ${keyed(
                  task.id,
                  html`<cs-validation-form
                    .kind=${item.kind}
                    ?busy=${this._busy}
                    @validation-submit=${this._submit}
                  ></cs-validation-form>`,
                )}
              </section>`
      }
      <div><button type="button" class="link" @click=${this._giveBack}>${msg('giveBack')}</button></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-validation-page': CsValidationPage;
  }
}
