import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { editableStatuses, type ItemFields, type SubmissionProblem } from '../../../schema/item.ts';
import type { User } from '../../../schema/user.ts';
import { Autosaver } from '../autosave/autosaver.ts';
import { ApiError, errorText, NetworkError } from '../data/api.ts';
import { getItem, restoreRevision, submitItem, updateItem } from '../data/items.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { editorProblems, touchedPaths } from './editor-problems.ts';
import type { FieldChange } from './field-change.ts';
import './cs-conflict-panel.ts';
import './cs-editor-bar.ts';
import './cs-dataset-guidelines.ts';
import './cs-item-form.ts';
import './cs-gold-panel.ts';
import './cs-split-panel.ts';
import './cs-revisions-panel.ts';
import './cs-review-decisions.ts';
import './cs-model-trials.ts';
import './cs-similar-items.ts';
import './cs-submit-panel.ts';
import { userContext } from '../context.ts';

/** The item editor: loads the item, autosaves every edit, submits, shows conflicts and revisions. */
@customElement('cs-item-editor')
export class CsItemEditor extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
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
      cs-conflict-panel {
        margin-block-end: 1rem;
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
        this._refreshTimer = setInterval(this._onOnline, 5_000);
      } else {
        this._loadError = err instanceof NetworkError ? msg('notAvailableOffline') : (err as Error).message;
        saver.dispose();
        return;
      }
    }
    this._saver = saver;
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
  private readonly _onOnline = () => void this._refreshOfflineCopy();

  private async _refreshOfflineCopy() {
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
  }

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

  private _problems(fields: ItemFields) {
    return editorProblems(fields, {
      invalid: this._saver?.invalid ?? {},
      touched: this._touched,
      submitTried: this._submitTried,
      server: this._serverProblems,
    });
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
    return html`<cs-submit-panel
      .problems=${problems}
      .serverProblems=${this._serverProblems}
      ?tried=${this._submitTried}
      ?submitting=${this._submitting}
      ?blocked=${saver.status === 'conflict' || this._submitting}
      .error=${this._submitError}
      @submit-request=${this._submit}
    ></cs-submit-panel>`;
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
      <cs-editor-bar .item=${base} .saveStatus=${saver.status} .saveError=${saver.error}></cs-editor-bar>
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
          <cs-dataset-guidelines .datasetId=${base.datasetId}></cs-dataset-guidelines>
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
