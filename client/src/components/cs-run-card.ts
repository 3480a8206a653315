import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Run } from '../../../schema/scoring.ts';
import { cancelCollection, collectRun, getRun, uploadResponses } from '../data/scoring.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { errorText } from '../data/api.ts';
import { PollController } from './poll-controller.ts';

/** How often a collecting run is read again. */
const POLL_MS = 1000;

/**
 * One run: progress, and the two ways to get answers (a file, or the model's endpoint). A collection runs on
 * the server as a job: while the run is collecting, the card reads it again every second (also after the
 * page was left and opened again) and offers to stop it.
 */
@customElement('cs-run-card')
export class CsRunCard extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      progress {
        inline-size: 100%;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem;
        align-items: center;
      }
    `,
  ];

  @property({ attribute: false }) run!: Run;
  /** The run as last read (the property, then each poll while it collects). */
  @state() private _run: Run | null = null;
  @state() private _busy = false;
  @state() private _message: string | null = null;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  private get _current(): Run {
    return this._run ?? this.run;
  }

  protected readonly poller = new PollController(this, {
    everyMs: POLL_MS,
    active: () => this._current.status === 'collecting',
    poll: async () => {
      try {
        const run = await getRun(this.run.id);
        const ended = this._current.status === 'collecting' && run.status !== 'collecting';
        this._run = run;
        if (ended) {
          this._message = this._summary(run);
          this._changed();
        }
      } catch (err) {
        this._error = errorText(err);
      }
    },
  });

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('run')) this._run = this.run;
  }

  private _summary(run: Run): string | null {
    const c = run.collection;
    if (!c) return null;
    if (c.state === 'interrupted') return msg('collectionInterrupted');
    if (c.state === 'cancelled') return msg('collectionStopped', { collected: c.answered });
    return [
      msg('collectDone', { collected: c.answered, skipped: c.skipped, failed: c.failed }),
      ...c.failures.slice(0, 10).map((f) => `${f.id}: ${f.reason}`),
    ].join('\n');
  }

  private _changed() {
    this.dispatchEvent(new CustomEvent('run-changed', { bubbles: true, composed: true }));
  }

  private async _upload(dryRun: boolean) {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type=file]');
    const file = input?.files?.[0];
    if (!file) return;
    await this._do(async () => {
      const report = await uploadResponses(this.run.id, file, dryRun);
      const problems = report.errors.map((e) => `${e.row ?? '-'}: ${e.message}`).slice(0, 10);
      this._message = [
        report.imported > 0
          ? msg('responsesImported', { count: report.imported })
          : msg('responsesChecked', { valid: report.valid, rows: report.rows, errors: report.errorCount }),
        ...problems,
      ].join('\n');
    });
  }

  private async _collect() {
    await this._do(async () => {
      this._run = await collectRun(this.run.id, { concurrency: 4 });
      this._message = null;
    });
  }

  private async _stop() {
    await this._do(async () => {
      this._run = await cancelCollection(this.run.id);
    });
  }

  private async _do(fn: () => Promise<void>) {
    this._busy = true;
    this._error = null;
    try {
      await fn();
      this._changed();
    } catch (err) {
      this._error = errorText(err);
    } finally {
      this._busy = false;
    }
  }

  override render() {
    const run = this._current;
    const p = run.progress;
    const collecting = run.status === 'collecting';
    const c = run.collection;
    return html`<article class="card">
      <h3>${run.modelName} · ${run.releaseVersion} · ${msg(`runStatus_${run.status}`)}</h3>
      <progress max=${p.items} value=${p.responses}></progress>
      <p class="muted">
        ${msg('runProgress', { responses: p.responses, items: p.items, correct: p.correct, auto: p.autoScored, toRate: p.toRate })}
      </p>
      ${
        collecting && c
          ? html`<p class="muted" role="status">
              ${msg('collectionProgress', { asked: c.asked, total: c.total, answered: c.answered, failed: c.failed })}
            </p>`
          : nothing
      }
      <div class="actions">
        <label>${msg('importResponses')} <input type="file" accept=".csv,.jsonl,.ndjson" /></label>
        <button type="button" ?disabled=${this._busy} @click=${() => this._upload(true)}>
          ${msg('checkFile')}
        </button>
        <button type="button" ?disabled=${this._busy} @click=${() => this._upload(false)}>
          ${msg('importResponses')}
        </button>
        ${
          collecting
            ? html`<button type="button" ?disabled=${this._busy} @click=${this._stop}>
                ${msg('stopCollecting')}
              </button>`
            : html`<button type="button" ?disabled=${this._busy} @click=${this._collect}>
                ${msg('collect')}
              </button>`
        }
      </div>
      ${this._message ? html`<pre class="muted" role="status">${this._message}</pre>` : nothing}
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-run-card': CsRunCard;
  }
}
