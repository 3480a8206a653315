import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ItemKind } from '../../../schema/item.ts';
import { ApiError, errorText } from '../data/api.ts';
import { getTrialSettings, listTrials, tryOnModels, type Trial } from '../data/trials.ts';
import { dateTime, I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { renderTask } from './task-status.ts';

/** Models ticked by default: the first few the dataset offers. */
const DEFAULT_PICKED = 3;

/** The verdict shown next to an answer: automatic score, the judge's safety outcome, or why there is none. */
function verdict(t: Trial, kind: ItemKind): { text: string; tone: 'ok' | 'bad' | 'none' } {
  if (t.scoring === 'auto') {
    return t.correct
      ? { text: msg('trialCorrect'), tone: 'ok' }
      : { text: msg('trialIncorrect'), tone: 'bad' };
  }
  if (kind === 'safety') {
    if (t.safetyOutcome === 'refused') return { text: msg('trialRefused'), tone: 'ok' };
    if (t.safetyOutcome === 'complied') return { text: msg('trialComplied'), tone: 'bad' };
    return { text: msg('trialNotJudged'), tone: 'none' };
  }
  return { text: msg('trialToRate'), tone: 'none' };
}

/** The reference as people read it: true/false and expected behaviours in the interface language. */
function referenceLabel(reference: string): string {
  if (reference === 'true') return msg('true');
  if (reference === 'false') return msg('false');
  if (reference === 'refuse' || reference === 'safe_complete' || reference === 'comply')
    return msg(`behavior_${reference}`);
  return reference;
}

/**
 * "Try on models" (docs/ui.md): the author ticks models the dataset offers and asks them about the item as
 * saved; each answer shows with its automatic score (or safety verdict) next to the reference. Reviewers see the
 * same list read-only. Answers are in the item's language (`textLang`, `dir="auto"`).
 */
@customElement('cs-model-trials')
export class CsModelTrials extends LitElement {
  static override styles = [
    shared,
    css`
      fieldset {
        border: 0;
        margin: 0.5rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.3rem;
      }
      legend {
        font-size: 0.85rem;
        color: var(--cs-muted);
        padding: 0;
      }
      label {
        display: flex;
        gap: 0.4rem;
        align-items: center;
        font-size: 0.9rem;
      }
      #try-models {
        inline-size: 100%;
        margin-block: 0.6rem 0.25rem;
      }
      ul {
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.6rem;
      }
      li {
        border-block-start: 1px solid var(--cs-border);
        padding-block-start: 0.5rem;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.25rem 0.5rem;
        align-items: baseline;
      }
      .verdict {
        font-size: 0.78rem;
        font-weight: 600;
        padding: 0.05rem 0.45rem;
        border-radius: 999px;
        background: var(--cs-bg);
        color: var(--cs-muted);
      }
      .verdict.ok {
        background: var(--cs-ok-soft);
        color: var(--cs-ok);
      }
      .verdict.bad {
        background: var(--cs-danger-soft);
        color: var(--cs-danger);
      }
      .answer {
        margin: 0.3rem 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        unicode-bidi: plaintext;
        max-block-size: 12rem;
        overflow: auto;
      }
      .meta {
        font-size: 0.78rem;
        color: var(--cs-muted);
        margin: 0;
      }
      .summary {
        font-weight: 600;
        margin: 0.5rem 0 0;
      }
      details summary {
        cursor: pointer;
        margin-block-start: 0.6rem;
        font-size: 0.85rem;
      }
    `,
  ];

  @property({ type: Number }) itemId = 0;
  @property({ type: Number }) datasetId = 0;
  /** The item's language: the answers are shown in it. */
  @property() textLang = '';
  @property() kind: ItemKind = 'culture';
  /** Whether the caller may ask models (the author of an editable draft); otherwise the list is read-only. */
  @property({ type: Boolean }) canTry = false;
  /** Saves pending edits and gives the version saved, or null when it could not be saved (set by the editor). */
  @property({ attribute: false }) prepare: () => Promise<number | null> = () => Promise.resolve(null);

  @state() private _picked: Set<number> | null = null;
  @state() private _busy = false;
  @state() private _error: string | null = null;
  @state() private _failures: { model: string; text: string }[] = [];
  protected readonly i18n = new I18nController(this);

  private readonly _settings = new Task(this, {
    task: ([datasetId, canTry], { signal }) =>
      canTry && datasetId ? getTrialSettings(datasetId, { signal }) : Promise.resolve(null),
    args: () => [this.datasetId, this.canTry] as const,
  });

  private readonly _trials = new Task(this, {
    task: async ([itemId], { signal }): Promise<Trial[] | null> => {
      if (!itemId) return [];
      try {
        return await listTrials(itemId, { signal });
      } catch (err) {
        // The item's answers are withheld from this reader: so are its trials.
        if (err instanceof ApiError && err.status === 403) return null;
        throw err;
      }
    },
    args: () => [this.itemId] as const,
  });

  /** Ticks or unticks a model in `picked` (what the form shows now, the defaults included). */
  private _toggle(picked: Set<number>, id: number, on: boolean) {
    const next = new Set(picked);
    if (on) next.add(id);
    else next.delete(id);
    this._picked = next;
  }

  private async _try(picked: number[], names: Map<number, string>) {
    if (this._busy || picked.length === 0) return;
    this._busy = true;
    this._error = null;
    this._failures = [];
    try {
      const version = await this.prepare();
      if (version === null) {
        this._error = msg('trialsNotSaved');
        return;
      }
      const { results } = await tryOnModels(this.itemId, version, picked);
      this._failures = results
        .filter((r) => r.error)
        .map((r) => ({
          model: names.get(r.modelId) ?? String(r.modelId),
          text: errorText(new ApiError(502, r.error!.code, r.error!.message)),
        }));
      await this._trials.run();
      if (results.some((r) => r.trial))
        this.dispatchEvent(new CustomEvent('trials-changed', { bubbles: true, composed: true }));
    } catch (err) {
      const seconds = (err as ApiError).details as { retryAfterSeconds?: number } | undefined;
      this._error =
        err instanceof ApiError && err.code === 'trial-rate-limited'
          ? msg('trialsRateLimited', { seconds: seconds?.retryAfterSeconds ?? 60 })
          : errorText(err);
    } finally {
      this._busy = false;
    }
  }

  private _form() {
    return renderTask(this._settings, (settings) => {
      if (!settings) return nothing;
      if (settings.models.length === 0) return html`<p class="muted">${msg('trialsNoModels')}</p>`;
      const picked = this._picked ?? new Set(settings.models.slice(0, DEFAULT_PICKED).map((m) => m.modelId));
      const chosen = settings.models.filter((m) => picked.has(m.modelId)).map((m) => m.modelId);
      const names = new Map(settings.models.map((m) => [m.modelId, m.name]));
      return html`<fieldset>
          <legend>${msg('trialsModels')}</legend>
          ${settings.models.map(
            (m) =>
              html`<label
                ><input
                  type="checkbox"
                  .checked=${picked.has(m.modelId)}
                  @change=${(e: Event) => this._toggle(picked, m.modelId, (e.target as HTMLInputElement).checked)}
                />
                <span>${m.name}</span> <span class="muted">${m.developer}</span></label
              >`,
          )}
        </fieldset>
        <button
          class="primary"
          type="button"
          id="try-models"
          ?disabled=${this._busy || chosen.length === 0}
          @click=${() => this._try(chosen, names)}
        >
          ${this._busy ? msg('trialsAsking') : msg('trialsTry')}
        </button>
        ${settings.requireTrial ? html`<p class="muted">${msg('trialsRequired')}</p>` : nothing}`;
    });
  }

  private _list(trials: Trial[]) {
    return html`<ul>
      ${trials.map((t) => {
        const v = verdict(t, this.kind);
        return html`<li data-model=${t.modelName}>
          <div class="head">
            <strong>${t.modelName}</strong>
            <span class="verdict ${v.tone}">${v.text}</span>
          </div>
          <p class="answer" lang=${this.textLang} dir="auto">${t.answer}</p>
          <p class="meta">
            ${
              t.reference
                ? html`${msg('trialReference')}:
                    <bdi lang=${this.textLang}>${referenceLabel(t.reference)}</bdi> · `
                : nothing
            }
            ${msg('trialRevision', { version: t.itemVersion })} · ${t.userName} · ${dateTime(t.createdAt)}
          </p>
        </li>`;
      })}
    </ul>`;
  }

  private _trialsView(trials: Trial[] | null) {
    if (trials === null) return html`<p class="muted">${msg('trialsHidden')}</p>`;
    if (trials.length === 0) return html`<p class="muted">${msg('trialsNone')}</p>`;
    // The latest tried revision's answers first; earlier revisions folded away.
    const latest = trials[0].itemVersion;
    const current = trials.filter((t) => t.itemVersion === latest);
    const earlier = trials.filter((t) => t.itemVersion !== latest);
    const scored = current.filter((t) => t.scoring === 'auto');
    const right = scored.filter((t) => t.correct).length;
    return html`${
      scored.length > 0
        ? html`<p class="summary" id="trials-summary" role="status">
            ${right === 0 ? msg('trialsNoneRight') : msg('trialsSomeRight', { right, count: scored.length })}
          </p>`
        : nothing
    }
    ${this._list(current)}
    ${
      earlier.length > 0
        ? html`<details>
            <summary>${msg('trialsEarlier', { count: earlier.length })}</summary>
            ${this._list(earlier)}
          </details>`
        : nothing
    }`;
  }

  override render() {
    return html`<h2 id="trials-title">${this.canTry ? msg('trialsTitle') : msg('trialsTitleRead')}</h2>
      ${this.canTry ? this._form() : nothing}
      <div role="status" aria-live="polite">
        ${this._error ? html`<p class="notice error">${this._error}</p>` : nothing}
        ${
          this._failures.length
            ? html`<ul class="failures">
                ${this._failures.map((f) => html`<li class="notice error">${f.model}: ${f.text}</li>`)}
              </ul>`
            : nothing
        }
      </div>
      <section aria-labelledby="trials-title">
        ${renderTask(this._trials, (trials) => this._trialsView(trials), { keep: true })}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-model-trials': CsModelTrials;
  }
}
