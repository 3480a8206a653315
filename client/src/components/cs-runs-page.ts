import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Release } from '../../../schema/release.ts';
import type { Model, Run } from '../../../schema/scoring.ts';
import { listReleases } from '../data/releases.ts';
import { createRun, listModels, listRuns } from '../data/scoring.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-model-form.ts';
import './cs-trial-settings.ts';
import './cs-run-card.ts';
import { errorText } from '../data/api.ts';

/** Models and runs (maintainers): register models, start runs on a published release, follow their progress. */
@customElement('cs-runs-page')
export class CsRunsPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
        max-inline-size: 72rem;
      }
      .row {
        display: flex;
        gap: 0.6rem;
        align-items: end;
        flex-wrap: wrap;
      }
      ul {
        margin: 0;
        padding-inline-start: 1.2rem;
      }
    `,
  ];

  @state() private _models: Model[] = [];
  @state() private _releases: Release[] = [];
  @state() private _releaseId = 0;
  @state() private _runs: Run[] = [];
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this._start();
  }

  private async _start() {
    try {
      [this._models, this._releases] = await Promise.all([listModels(), listReleases()]);
      this._releases = this._releases.filter((r) => r.state === 'published');
      this._releaseId = this._releases[0]?.id ?? 0;
      await this._loadRuns();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _loadRuns() {
    this._runs = this._releaseId ? await listRuns(this._releaseId) : [];
  }

  private async _newRun() {
    const select = this.renderRoot.querySelector<HTMLSelectElement>('#run-model');
    if (!select || !this._releaseId) return;
    try {
      await createRun({ modelId: Number(select.value), releaseId: this._releaseId });
      await this._loadRuns();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  override render() {
    return html`<h1>${msg('scoringTitle')}</h1>
      <p class="muted">${msg('scoringIntro')}</p>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
      <section>
        <h2>${msg('modelsTitle')}</h2>
        ${
          this._models.length === 0
            ? html`<p class="muted">${msg('noModels')}</p>`
            : html`<ul>
                ${this._models.map(
                  (m) =>
                    html`<li>
                      ${m.name} —
                      ${m.developer}${m.country ? ` (${m.country})` : ''}${m.sovereign ? ' ★' : ''}
                    </li>`,
                )}
              </ul>`
        }
        <cs-model-form @model-created=${async () => (this._models = await listModels())}></cs-model-form>
      </section>
      <section>
        <cs-trial-settings .models=${this._models}></cs-trial-settings>
      </section>
      <section>
        <h2>${msg('runsTitle')}</h2>
        <div class="row">
          <div>
            <label for="release">${msg('release')}</label>
            <select
              id="release"
              @change=${(e: Event) => ((this._releaseId = Number((e.target as HTMLSelectElement).value)), this._loadRuns())}
            >
              ${this._releases.map((r) => html`<option value=${r.id}>${r.title} ${r.version}</option>`)}
            </select>
          </div>
          <div>
            <label for="run-model">${msg('colModel')}</label>
            <select id="run-model">
              ${this._models.map((m) => html`<option value=${m.id}>${m.name}</option>`)}
            </select>
          </div>
          <button type="button" class="primary" @click=${this._newRun}>${msg('newRun')}</button>
        </div>
        ${this._runs.length === 0 ? html`<p class="muted">${msg('noRuns')}</p>` : nothing}
        ${this._runs.map((r) => html`<cs-run-card .run=${r} @run-changed=${() => this._loadRuns()}></cs-run-card>`)}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-runs-page': CsRunsPage;
  }
}
