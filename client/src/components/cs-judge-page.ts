import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Judge, JudgeRun } from '../../../schema/judge.ts';
import type { Model, Run } from '../../../schema/scoring.ts';
import { errorText } from '../data/api.ts';
import { cancelJudgeRun, listJudgeRuns, listJudges, startJudgeRun } from '../data/judges.ts';
import { listModels, listRuns } from '../data/scoring.ts';
import { I18nController, msg, type MessageKey } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-judge-calibration.ts';
import './cs-judge-form.ts';
import { PollController } from './poll-controller.ts';

const STATE: Record<JudgeRun['state'], MessageKey> = {
  pending: 'judgeStatePending',
  running: 'judgeStateRunning',
  done: 'judgeStateDone',
  cancelled: 'judgeStateCancelled',
  failed: 'judgeStateFailed',
  interrupted: 'judgeStateInterrupted',
};

/**
 * Judge setup and calibration (maintainers): register a judge, run it over a model run (a job, followed here),
 * and read how well it agrees with the native-speaker raters, slice by slice.
 */
@customElement('cs-judge-page')
export class CsJudgePage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1.1rem;
      }
      section {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0.7rem;
      }
      .row {
        display: flex;
        gap: 0.8rem;
        align-items: end;
        flex-wrap: wrap;
      }
      table {
        border-collapse: collapse;
        font-size: 0.88rem;
      }
      th,
      td {
        padding: 0.3rem 0.5rem;
        border-block-end: 1px solid var(--cs-border);
        text-align: start;
        white-space: nowrap;
      }
      .scroll {
        overflow-x: auto;
        /* Contains the visually hidden header text (absolutely placed), so it never widens the page. */
        position: relative;
      }
    `,
  ];

  @state() private _models: Model[] = [];
  @state() private _judges: Judge[] = [];
  @state() private _runs: Run[] = [];
  @state() private _judgeRuns: JudgeRun[] = [];
  @state() private _selected = 0;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  constructor() {
    super();
    new PollController(this, {
      everyMs: 1000,
      active: () => this._judgeRuns.some((r) => r.state === 'running'),
      poll: async () => {
        this._judgeRuns = await listJudgeRuns();
      },
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load() {
    try {
      [this._models, this._judges, this._runs, this._judgeRuns] = await Promise.all([
        listModels(),
        listJudges(),
        listRuns(),
        listJudgeRuns(),
      ]);
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _start(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    try {
      await startJudgeRun(Number(data.get('judgeId')), Number(data.get('runId')));
      this._error = null;
      this._judgeRuns = await listJudgeRuns();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _cancel(id: number) {
    try {
      await cancelJudgeRun(id);
      this._judgeRuns = await listJudgeRuns();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  override render() {
    return html`<h1>${msg('judgeTitle')}</h1>
      <p class="muted">${msg('judgeIntro')}</p>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
      <section aria-labelledby="new-judge">
        <h2 id="new-judge">${msg('judgeNew')}</h2>
        <cs-judge-form
          .models=${this._models}
          @judge-created=${(e: CustomEvent<Judge>) => (this._judges = [...this._judges, e.detail])}
        ></cs-judge-form>
      </section>
      <section aria-labelledby="judge-runs">
        <h2 id="judge-runs">${msg('judgeRunsTitle')}</h2>
        ${
          this._judges.length === 0 || this._runs.length === 0
            ? html`<p class="muted">${msg('judgeNothingToRun')}</p>`
            : html`<form class="row" @submit=${this._start}>
                <div>
                  <label for="run-judge">${msg('judgeJudge')}</label>
                  <select id="run-judge" name="judgeId">
                    ${this._judges.map((j) => html`<option value=${j.id}>${j.name}</option>`)}
                  </select>
                </div>
                <div>
                  <label for="run-run">${msg('judgeModelRun')}</label>
                  <select id="run-run" name="runId">
                    ${this._runs.map(
                      (r) =>
                        html`<option value=${r.id}>${r.modelName} · ${r.releaseVersion} (#${r.id})</option>`,
                    )}
                  </select>
                </div>
                <button type="submit">${msg('judgeStart')}</button>
              </form>`
        }
        ${
          this._judgeRuns.length > 0
            ? html`<div class="scroll" tabindex="0" role="region" aria-labelledby="judge-runs">
                <table>
                  <thead>
                    <tr>
                      <th>${msg('judgeJudge')}</th>
                      <th>${msg('colModel')}</th>
                      <th>${msg('judgeColState')}</th>
                      <th>${msg('judgeColProgress')}</th>
                      <th>${msg('judgeColJudged')}</th>
                      <th>${msg('judgeColUnparseable')}</th>
                      <th>${msg('judgeColFailed')}</th>
                      <th>${msg('judgeColResent')}</th>
                      <th><span class="visually-hidden">${msg('judgeColActions')}</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    ${this._judgeRuns.map(
                      (r) =>
                        html`<tr aria-current=${r.id === this._selected ? 'true' : 'false'}>
                          <td>${r.judgeName}</td>
                          <td>${r.modelName}</td>
                          <td>${msg(STATE[r.state])}</td>
                          <td>${r.asked} / ${r.total}</td>
                          <td>${r.judged}</td>
                          <td>${r.unparseable}</td>
                          <td>${r.failed}</td>
                          <td>${r.resent}</td>
                          <td>
                            ${
                              r.state === 'running'
                                ? html`<button @click=${() => this._cancel(r.id)}>${msg('cancel')}</button>`
                                : html`<button @click=${() => (this._selected = r.id)}>
                                    ${msg('judgeShowCalibration')}
                                  </button>`
                            }
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
            : nothing
        }
      </section>
      ${
        this._selected
          ? html`<cs-judge-calibration .judgeRunId=${this._selected}></cs-judge-calibration>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-judge-page': CsJudgePage;
  }
}
