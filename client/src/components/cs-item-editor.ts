import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import {
  editableStatuses,
  submissionProblems,
  type ItemFields,
  type SubmissionProblem,
} from '../../../schema/item.ts';
import type { Dataset } from '../../../schema/dataset.ts';
import type { User } from '../../../schema/user.ts';
import { Autosaver } from '../autosave/autosaver.ts';
import { ApiError, errorText, NetworkError } from '../data/api.ts';
import { listDatasets } from '../data/datasets.ts';
import { getItem, restoreRevision, submitItem, updateItem } from '../data/items.ts';
import { I18nController, languageName, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import type { FieldChange, Problems } from './field-change.ts';
import './cs-conflict-panel.ts';
import './cs-item-form.ts';
import './cs-gold-panel.ts';
import './cs-split-panel.ts';
import './cs-revisions-panel.ts';
import './cs-save-status.ts';
import './cs-review-decisions.ts';
import './cs-model-trials.ts';
import './cs-similar-items.ts';
import './cs-status-chip.ts';
import { problemText } from '../i18n/problems.ts';
import { userContext } from '../context.ts';

/** The order of the form, so "the first problem" is the first one on screen. */
const FORM_ORDER = [
  'question',
  'questionEn',
  'referenceAnswer',
  'acceptedAnswers',
  'options',
  'correctIndex',
  'trueFalseAnswer',
  'answerEn',
  'hazard',
  'attackStyle',
  'expectedBehavior',
  'primaryCategory',
  'difficulty',
  'secondaryTags',
  'country',
  'region',
  'rationale',
  'sources',
  'notes',
];
const formOrder = (path: string) => {
  const [root, index] = path.split('.');
  return FORM_ORDER.indexOf(root ?? path) * 100 + (index === undefined ? 0 : Number(index) + 1);
};

/** The problem paths a control covers, by its id: it counts as touched once focus has left it. */
function touchedPaths(id: string): string[] {
  const m = /^(?:f-(\w+)|option-(\d+)|(correct)-\d+|(accepted)-\d+|(tf)-\w+|(source)-url-\d+)$/.exec(id);
  if (!m) return [];
  if (m[1]) return [m[1]];
  if (m[2]) return [`options.${m[2]}`, 'options'];
  if (m[3]) return ['correctIndex'];
  if (m[4]) return ['acceptedAnswers'];
  if (m[5]) return ['trueFalseAnswer'];
  return ['sources'];
}

/** The item editor: loads the item, autosaves every edit, submits, shows conflicts and revisions. */
@customElement('cs-item-editor')
export class CsItemEditor extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .top {
        position: sticky;
        inset-block-start: 3.25rem;
        z-index: 5;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem;
        padding-block: 0.6rem;
        margin-block: -1.25rem 1rem;
        background: var(--cs-bg);
        border-block-end: 1px solid var(--cs-border);
      }
      .top h1 {
        font-size: 1.1rem;
      }
      .top .uid {
        font-family: var(--cs-font-mono);
        font-size: 0.78rem;
        color: var(--cs-muted);
      }
      .top cs-save-status {
        margin-inline-start: auto;
      }
      .layout {
        display: grid;
        gap: 1rem;
        grid-template-columns: minmax(0, 1fr) 21rem;
        align-items: start;
      }
      aside {
        display: grid;
        gap: 1rem;
        position: sticky;
        inset-block-start: 6.5rem;
      }
      @media (max-width: 960px) {
        .layout {
          grid-template-columns: 1fr;
        }
        aside {
          position: static;
        }
      }
      .submit ul {
        margin: 0.5rem 0;
        padding-inline-start: 1.1rem;
        font-size: 0.85rem;
        color: var(--cs-danger);
      }
      .submit button.primary {
        inline-size: 100%;
        margin-block: 0.5rem 0.25rem;
      }
      cs-conflict-panel {
        margin-block-end: 1rem;
      }
      .guidelines p {
        white-space: pre-wrap;
        margin: 0.5rem 0 0;
      }
      .submitted .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        margin: 0.5rem 0 0;
      }
    `,
  ];

  /** The signed-in user (provided by cs-app). */
  @consume({ context: userContext, subscribe: true }) @state() private _user!: User;
  @property({ type: Number }) itemId = 0;

  @state() private _saver: Autosaver | null = null;
  @state() private _loadError: string | null = null;
  @state() private _offlineCopy = false;
  @state() private _submitting = false;
  @state() private _submitError: string | null = null;
  @state() private _serverProblems: SubmissionProblem[] = [];
  @state() private _dataset: Dataset | null = null;
  /** Problem paths whose control the author has left: their problems show; the others wait for Submit. */
  @state() private _touched = new Set<string>();
  @state() private _submitTried = false;
  @state() private _justSubmitted = false;
  private _unsubscribe?: () => void;
  private _refreshTimer: ReturnType<typeof setInterval> | undefined;
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this._onKey);
    window.addEventListener('online', this._onOnline);
    void this._load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this._onKey);
    window.removeEventListener('online', this._onOnline);
    clearInterval(this._refreshTimer);
    this._unsubscribe?.();
    const saver = this._saver;
    // Leaving the editor in the app: send what is pending, then let go.
    if (saver) void saver.saveNow().finally(() => saver.dispose());
  }

  private async _load() {
    const saver = new Autosaver({ userId: this._user.id, itemId: this.itemId, patch: updateItem });
    this._unsubscribe = saver.subscribe(() => this.requestUpdate());
    try {
      saver.start(await getItem(this.itemId), true);
    } catch (err) {
      const cached = saver.cachedItem();
      if (err instanceof NetworkError && cached) {
        saver.start(cached, false);
        this._offlineCopy = true;
        // The server may be restarting while the browser thinks it is online: poll for it too.
        this._refreshTimer = setInterval(() => void this._onOnline(), 5_000);
      } else {
        this._loadError = err instanceof NetworkError ? msg('notAvailableOffline') : (err as Error).message;
        saver.dispose();
        return;
      }
    }
    this._saver = saver;
    listDatasets()
      .then((all) => (this._dataset = all.find((d) => d.id === saver.base?.datasetId) ?? null))
      .catch(() => {});
    // A new, empty draft ("Create draft"): the author starts with the question.
    if (this._editable && !saver.fields?.question) void this._focusProblem(['question']);
  }

  /** Focus on the control of the first of `paths` that the form can show. */
  private async _focusProblem(paths: string[]) {
    await this.updateComplete;
    const form = this.renderRoot.querySelector('cs-item-form');
    await form?.updateComplete;
    await form?.renderRoot.querySelector('cs-answer-fields')?.updateComplete;
    for (const path of paths) if (form?.focusProblem(path)) return;
  }

  private _touch(e: CustomEvent<string[]>) {
    const paths = e.detail.map(touchedPaths).find((p) => p.length > 0) ?? [];
    if (paths.every((p) => this._touched.has(p))) return;
    this._touched = new Set([...this._touched, ...paths]);
  }

  /** Opened from the local copy: once the server is back, refresh it (pending changes flush on their own). */
  private readonly _onOnline = async () => {
    const saver = this._saver;
    if (!this._offlineCopy || !saver) return;
    try {
      const item = await getItem(this.itemId);
      this._offlineCopy = false;
      clearInterval(this._refreshTimer);
      if (!saver.hasPending && !saver.conflict) saver.replaceBase(item);
    } catch {
      // still unreachable; the autosaver keeps retrying
    }
  };

  private readonly _onKey = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    if (e.key === 's' || e.key === 'S') {
      e.preventDefault();
      void this._saver?.saveNow();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void this._submit();
    }
  };

  private get _editable(): boolean {
    const base = this._saver?.base;
    return !!base && base.authorId === this._user.id && editableStatuses.includes(base.status);
  }

  /**
   * What blocks Submit (`list`, in form order), and the problems shown next to fields (`byPath`): a field's
   * submission problems once it was touched or Submit was tried; fields kept on this device as invalid and the
   * server's answer always.
   */
  private _problems(fields: ItemFields): { list: SubmissionProblem[]; byPath: Problems } {
    const list = [...submissionProblems(fields)];
    const invalid: SubmissionProblem[] = Object.entries(this._saver?.invalid ?? {}).map(
      ([path, message]) => ({
        path,
        code: 'invalid',
        message: message ?? '',
      }),
    );
    list.push(...invalid);
    list.sort((a, b) => formOrder(a.path) - formOrder(b.path));
    const shown = this._submitTried ? list : list.filter((p) => this._touched.has(p.path));
    const byPath: Problems = {};
    for (const p of [...invalid, ...shown, ...this._serverProblems]) byPath[p.path] ??= problemText(p);
    return { list, byPath };
  }

  private _edit(e: CustomEvent<FieldChange>) {
    if (!this._editable) return;
    this._serverProblems = [];
    this._saver?.edit(e.detail.field, e.detail.value);
  }

  /** For "Try on models": the models answer the item as saved, so pending edits are saved first. */
  private readonly _saveForTrial = async (): Promise<number | null> => {
    const saver = this._saver;
    if (!saver || !(await saver.saveNow()) || saver.status === 'conflict') return null;
    return saver.base?.version ?? null;
  };

  /** A trial answers the submission problem "try it on a model first". */
  private _trialsChanged() {
    if (!this._serverProblems.some((p) => p.path === 'trials')) return;
    this._serverProblems = this._serverProblems.filter((p) => p.path !== 'trials');
    this._submitError = null;
  }

  private async _submit() {
    const saver = this._saver;
    const fields = saver?.fields;
    if (!saver || !fields || !this._editable || this._submitting) return;
    const { list } = this._problems(fields);
    if (list.length > 0) {
      // Say why and go to the first problem, rather than a button that silently does nothing.
      this._submitTried = true;
      await this._focusProblem(list.map((p) => p.path));
      return;
    }
    if (saver.status === 'conflict') return;
    this._submitting = true;
    this._submitError = null;
    try {
      if (!(await saver.saveNow())) {
        this._submitError = msg(`save_${saver.status}`, { message: saver.error ?? '' });
        return;
      }
      const item = await submitItem(this.itemId, saver.base!.version);
      saver.replaceBase(item);
      this._justSubmitted = true;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#write-another')?.focus();
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'incomplete-item' || err.code === 'trial-required')) {
        this._serverProblems = (err.details as { problems?: SubmissionProblem[] })?.problems ?? [];
      }
      this._submitError = errorText(err);
    } finally {
      this._submitting = false;
    }
  }

  private async _restore(version: number) {
    const saver = this._saver;
    if (!saver?.base || saver.hasPending) return;
    try {
      saver.replaceBase(await restoreRevision(this.itemId, version, saver.base.version));
    } catch (err) {
      this._submitError = errorText(err);
    }
  }

  private _submitPanel(problems: SubmissionProblem[]) {
    const saver = this._saver!;
    // Not disabled while problems remain: Submit (and Ctrl+Enter) then lists them and goes to the first.
    const blocked = saver.status === 'conflict' || this._submitting;
    return html`<section class="card submit" aria-labelledby="submit-title">
      <h2 id="submit-title" class="visually-hidden">${msg('submit')}</h2>
      ${
        problems.length && this._submitTried
          ? html`<p class="muted" id="submit-blocked">${msg('submitBlocked', { count: problems.length })}</p>
              <ul role="alert">
                ${problems.map((p) => html`<li data-path=${p.path}>${problemText(p)}</li>`)}
              </ul>`
          : problems.length
            ? html`<p class="muted" id="submit-blocked">
                ${msg('editorProblemsLeft', { count: problems.length })}
              </p>`
            : nothing
      }
      ${
        this._serverProblems.length
          ? html`<ul role="alert">
              ${this._serverProblems.map((p) => html`<li data-path=${p.path}>${problemText(p)}</li>`)}
            </ul>`
          : nothing
      }
      <button
        class="primary"
        type="button"
        id="submit"
        ?disabled=${blocked}
        aria-describedby=${problems.length ? 'submit-blocked' : 'submit-hint'}
        aria-keyshortcuts="Control+Enter"
        @click=${this._submit}
      >
        ${this._submitting ? msg('submitting') : msg('submit')}
      </button>
      <p class="muted" id="submit-hint">${msg('submitHint')}</p>
      ${this._submitError ? html`<p class="notice error" role="alert">${this._submitError}</p>` : nothing}
    </section>`;
  }

  override render() {
    if (this._loadError) return html`<p class="notice error" role="alert">${this._loadError}</p>`;
    const saver = this._saver;
    const fields = saver?.fields;
    if (!saver?.base || !fields) return html`<p class="muted">${msg('loading')}</p>`;
    const base = saver.base;
    const editable = this._editable;
    const { list, byPath } = this._problems(fields);
    return html`
      <div class="top">
        <a href="/items">← ${msg('navItems')}</a>
        <h1>${msg('editorTitle')}</h1>
        <span class="uid">${base.uid}</span>
        <cs-status-chip .status=${base.status}></cs-status-chip>
        <span class="badge" title=${languageName(base.language)}>${base.language}</span>
        <cs-save-status .status=${saver.status} .error=${saver.error}></cs-save-status>
      </div>
      ${
        saver.conflict
          ? html`<cs-conflict-panel
              .conflict=${saver.conflict}
              .textLang=${base.language}
              @keep-mine=${() => saver.keepMine()}
              @take-theirs=${() => saver.takeTheirs()}
            ></cs-conflict-panel>`
          : nothing
      }
      ${!saver.store.healthy ? html`<p class="notice error" role="alert">${msg('storageFull')}</p>` : nothing}
      ${
        this._justSubmitted
          ? html`<section class="card notice ok submitted" id="submitted" role="status">
              <strong>${msg('submittedTitle')}</strong>
              <p class="row">
                <a id="write-another" href="/items/new">${msg('submittedWriteAnother')}</a>
                <a id="back-to-list" href="/items">${msg('submittedBackToList')}</a>
              </p>
            </section>`
          : nothing
      }
      ${
        !editable && base.authorId === this._user.id
          ? html`<p class="notice">${msg('readOnly', { status: msg(`status_${base.status}`) })}</p>`
          : nothing
      }
      ${base.answersHidden ? html`<p class="notice" role="status">${msg('answersHidden')}</p>` : nothing}
      <div class="layout">
        <cs-item-form
          .fields=${fields}
          .problems=${editable ? byPath : {}}
          ?readonly=${!editable}
          @field-change=${this._edit}
          @field-blur=${this._touch}
        ></cs-item-form>
        <aside>
          ${
            base.authorId === this._user.id && base.status !== 'draft'
              ? keyed(
                  `${base.id}:${base.status}`,
                  html`<cs-review-decisions .itemId=${base.id}></cs-review-decisions>`,
                )
              : nothing
          }
          ${editable ? this._submitPanel(list) : nothing}
          ${
            this._user.role === 'maintainer' && base.status !== 'draft'
              ? html`<section class="card">
                  <cs-gold-panel .itemId=${base.id} .datasetId=${base.datasetId}></cs-gold-panel>
                </section>`
              : nothing
          }
          ${
            this._user.role === 'maintainer'
              ? html`<section class="card">
                  <cs-split-panel .itemId=${base.id} .split=${base.split ?? 'test'}></cs-split-panel>
                </section>`
              : nothing
          }
          <section class="card">
            <cs-model-trials
              .itemId=${base.id}
              .datasetId=${base.datasetId}
              .textLang=${fields.language}
              .kind=${fields.kind}
              ?canTry=${editable}
              .prepare=${this._saveForTrial}
              @trials-changed=${this._trialsChanged}
            ></cs-model-trials>
          </section>
          <section class="card">
            <cs-similar-items
              .datasetId=${base.datasetId}
              .language=${fields.language}
              .question=${fields.question}
              .exclude=${base.id}
            ></cs-similar-items>
          </section>
          <section class="card">
            <cs-revisions-panel
              .itemId=${base.id}
              .version=${base.version}
              .textLang=${base.language}
              ?canRestore=${editable && !saver.hasPending && saver.status === 'saved'}
              @restore-request=${(e: CustomEvent<number>) => this._restore(e.detail)}
            ></cs-revisions-panel>
          </section>
          ${
            this._dataset?.description.trim()
              ? html`<section class="card guidelines" aria-labelledby="guidelines-title">
                  <h2 id="guidelines-title">${msg('guidelinesTitle')}</h2>
                  <p dir="auto">${this._dataset.description}</p>
                </section>`
              : nothing
          }
        </aside>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-item-editor': CsItemEditor;
  }
}
