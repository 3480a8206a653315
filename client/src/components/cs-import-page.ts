import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CreateImportRequest, ImportFormat, ImportJob, ImportPreset } from '../../../schema/import.ts';
import './cs-dataset-picker.ts';
import {
  cancelImport,
  createImport,
  getImport,
  importRunning,
  listImportPresets,
  listImports,
  uploadImportFile,
} from '../data/imports.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-import-errors.ts';
import './cs-import-progress.ts';
import type { ImportPhase } from './cs-import-progress.ts';
import { errorText } from '../data/api.ts';
import { formText } from './form-text.ts';

const CUSTOM = 'custom';
const POLL_MS = 400;

/** Maintainers import a CSV/JSONL file: options, dry run with every problem listed, then the import. */
@customElement('cs-import-page')
export class CsImportPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
        max-inline-size: 64rem;
      }
      form {
        display: grid;
        gap: 0.8rem;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
      }
      .wide {
        grid-column: 1 / -1;
      }
      textarea {
        font-family: var(--cs-font-mono);
        font-size: 0.85rem;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
      }
    `,
  ];

  @state() private _datasetId: number | null = null;
  @state() private _presets: ImportPreset[] = [];
  @state() private _preset = 'native';
  @state() private _file: File | null = null;
  @state() private _phase: ImportPhase | null = null;
  @state() private _fraction: number | null = 0;
  @state() private _job: ImportJob | null = null;
  @state() private _error: string | null = null;
  /** The import running on the server that this page follows (polled), if any. */
  @state() private _runningId: number | null = null;
  /** Bumped to stop the poll of a page that was left. */
  private _generation = 0;
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void Promise.all([listImportPresets(), listImports()])
      .then(([presets, imports]) => {
        this._presets = presets;
        // Left while an import ran, and back: follow it again.
        const running = imports.find(importRunning);
        if (running && this._phase === null) void this._follow(running);
      })
      .catch((err: unknown) => (this._error = String(err)));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._generation++;
    this._phase = null;
  }

  /** Polls a running import, showing its progress, until it ends (or the page is left). */
  private async _follow(job: ImportJob) {
    const generation = ++this._generation;
    this._runningId = job.id;
    let j = job;
    try {
      while (importRunning(j)) {
        if (j.state === 'writing') [this._phase, this._fraction] = ['writing', null];
        else [this._phase, this._fraction] = ['reading', j.bytesTotal ? j.bytesRead / j.bytesTotal : null];
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (generation !== this._generation) return;
        j = await getImport(j.id).catch(() => j);
        if (generation !== this._generation) return;
      }
      this._job = j;
    } finally {
      if (generation === this._generation) {
        this._phase = null;
        this._runningId = null;
      }
    }
  }

  private async _cancel() {
    if (this._runningId === null) return;
    try {
      await cancelImport(this._runningId);
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private _options(dryRun: boolean): CreateImportRequest | null {
    const form = this.renderRoot.querySelector('form')!;
    const data = new FormData(form);
    const json = (name: string, label: string): object | undefined => {
      const text = formText(data, name).trim();
      if (text === '') return undefined;
      try {
        return JSON.parse(text) as object;
      } catch {
        this._error = msg('importBadJson', { field: label });
        return undefined;
      }
    };
    this._error = null;
    const mapping = this._preset === CUSTOM ? json('mapping', msg('importCustomMapping')) : undefined;
    const defaults = json('defaults', msg('importDefaults'));
    if (this._error) return null;
    return {
      datasetId: this._datasetId ?? 0,
      format: data.get('format') as ImportFormat,
      ...(this._preset === CUSTOM
        ? { mapping: mapping as CreateImportRequest['mapping'] }
        : { preset: this._preset as ImportPreset['name'] }),
      ...(defaults ? { defaults: defaults } : {}),
      status: data.get('status') as 'submitted' | 'accepted',
      dryRun,
      fileName: this._file?.name ?? 'upload',
    };
  }

  private async _run(dryRun: boolean) {
    const options = this._options(dryRun);
    if (!options || !this._file) return;
    this._job = null;
    this._phase = 'uploading';
    this._fraction = 0;
    try {
      const job = await createImport(options);
      // A JSON document goes as bytes: a JSON body type is taken for an API request, not a file.
      const type = { csv: 'text/csv', jsonl: 'application/x-ndjson', json: 'application/octet-stream' }[
        options.format
      ];
      const taken = await uploadImportFile(job.id, this._file, type, (loaded, total) => {
        if (this._phase === 'uploading') this._fraction = total ? loaded / total : null;
      });
      await this._follow(taken);
    } catch (err) {
      this._error = errorText(err);
      this._phase = null;
    }
  }

  private _summary(job: ImportJob) {
    const counts = {
      created: job.created,
      updated: job.updated,
      unchanged: job.unchanged,
      rows: job.rowsTotal ?? 0,
    };
    if (job.state === 'failed')
      return html`<div class="notice error" role="alert">
          ${msg('importFailed', { count: job.errorCount })}
        </div>
        <cs-import-errors .errors=${job.errors} .count=${job.errorCount}></cs-import-errors>`;
    if (job.state === 'checked')
      return html`<div class="notice ok" role="status">
          ${msg('importChecked', { ...counts, count: counts.rows })}
        </div>
        <div class="actions">
          <button class="primary" type="button" @click=${() => this._run(false)}>
            ${msg('importRun', { count: counts.rows })}
          </button>
        </div>`;
    return html`<div class="notice ok" role="status">${msg('importDone', counts)}</div>`;
  }

  override render() {
    const preset = this._presets.find((p) => p.name === this._preset);
    return html`<h1>${msg('importTitle')}</h1>
      <p class="muted">${msg('importIntro')}</p>
      <form
        class="card"
        @submit=${(e: Event) => (e.preventDefault(), this._run(true))}
        @change=${() => (this._job = null)}
      >
        <cs-dataset-picker
          .value=${this._datasetId}
          @dataset-change=${(e: CustomEvent<number | null>) => (this._datasetId = e.detail)}
        ></cs-dataset-picker>
        <div>
          <label for="file">${msg('importFile')}</label>
          <input
            id="file"
            type="file"
            accept=".csv,.jsonl,.ndjson,.json,text/csv"
            required
            @change=${(e: Event) => (this._file = (e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </div>
        <div>
          <label for="format">${msg('importFormat')}</label>
          <select id="format" name="format">
            <option value="csv" ?selected=${!/\.(jsonl|ndjson|json)$/i.test(this._file?.name ?? '')}>
              CSV
            </option>
            <option value="jsonl" ?selected=${/\.(jsonl|ndjson)$/i.test(this._file?.name ?? '')}>
              JSONL
            </option>
            <option value="json" ?selected=${/\.json$/i.test(this._file?.name ?? '')}>JSON</option>
          </select>
        </div>
        <div>
          <label for="preset">${msg('importPreset')}</label>
          <select
            id="preset"
            name="preset"
            @change=${(e: Event) => (this._preset = (e.target as HTMLSelectElement).value)}
          >
            ${this._presets.map((p) => html`<option value=${p.name} ?selected=${p.name === this._preset}>${p.name}</option>`)}
            <option value=${CUSTOM}>${msg('importCustomMapping')}</option>
          </select>
        </div>
        <div>
          <label for="status">${msg('importStatus')}</label>
          <select id="status" name="status">
            <option value="submitted">${msg('importStatusSubmitted')}</option>
            <option value="accepted">${msg('importStatusAccepted')}</option>
          </select>
        </div>
        ${preset ? html`<p class="wide muted">${preset.description}</p>` : nothing}
        ${
          this._preset === CUSTOM
            ? html`<div class="wide">
                <label for="mapping">${msg('importCustomMapping')}</label>
                <textarea
                  id="mapping"
                  name="mapping"
                  rows="6"
                  spellcheck="false"
                  placeholder='{"columns": {"ID": "externalId", "Question": "question"}, "defaults": {"language": "ko"}}'
                ></textarea>
              </div>`
            : nothing
        }
        <div class="wide">
          <label for="defaults">${msg('importDefaults')}</label>
          <textarea
            id="defaults"
            name="defaults"
            rows="2"
            spellcheck="false"
            placeholder='{"primaryCategory": "history"}'
          ></textarea>
        </div>
        <div class="wide actions">
          <button class="primary" type="submit" ?disabled=${this._phase !== null || !this._file}>
            ${msg('importCheck')}
          </button>
        </div>
      </form>
      ${this._phase ? html`<cs-import-progress .phase=${this._phase} .fraction=${this._fraction}></cs-import-progress>` : nothing}
      ${
        this._runningId !== null
          ? html`<div class="actions">
              <button type="button" @click=${() => this._cancel()}>${msg('importCancel')}</button>
            </div>`
          : nothing
      }
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
      ${this._job && !this._phase ? this._summary(this._job) : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-import-page': CsImportPage;
  }
}
