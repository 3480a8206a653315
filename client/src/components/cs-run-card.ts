import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Run } from '../../../schema/scoring.ts';
import { collectRun, uploadResponses } from '../data/scoring.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { errorText } from '../data/api.ts';

/** One run: progress, and the two ways to get answers (a file, or the model's endpoint). */
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
  @state() private _busy = false;
  @state() private _message: string | null = null;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

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
          ? msg('responsesImported', { imported: report.imported })
          : msg('responsesChecked', { valid: report.valid, rows: report.rows, errors: report.errorCount }),
        ...problems,
      ].join('\n');
    });
  }

  private async _collect() {
    await this._do(async () => {
      const r = await collectRun(this.run.id, { concurrency: 4 });
      this._message = msg('collectDone', {
        collected: r.collected,
        skipped: r.skipped,
        failed: r.failed.length,
      });
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
    const p = this.run.progress;
    return html`<article class="card">
      <h3>${this.run.modelName} · ${this.run.releaseVersion} · ${msg(`runStatus_${this.run.status}`)}</h3>
      <progress max=${p.items} value=${p.responses}></progress>
      <p class="muted">
        ${msg('runProgress', { responses: p.responses, items: p.items, correct: p.correct, auto: p.autoScored, toRate: p.toRate })}
      </p>
      <div class="actions">
        <label>${msg('importResponses')} <input type="file" accept=".csv,.jsonl,.ndjson" /></label>
        <button type="button" ?disabled=${this._busy} @click=${() => this._upload(true)}>
          ${msg('checkFile')}
        </button>
        <button type="button" ?disabled=${this._busy} @click=${() => this._upload(false)}>
          ${msg('importResponses')}
        </button>
        <button type="button" ?disabled=${this._busy} @click=${this._collect}>
          ${this._busy ? msg('collecting') : msg('collect')}
        </button>
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
