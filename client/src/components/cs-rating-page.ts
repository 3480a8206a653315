import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Release } from '../../../schema/release.ts';
import type { RatingCampaign, RatingInput, RatingTask } from '../../../schema/scoring.ts';
import type { User } from '../../../schema/user.ts';
import { listReleases } from '../data/releases.ts';
import {
  createCampaign,
  giveBackRatingTask,
  listCampaigns,
  nextRatingTask,
  submitRating,
} from '../data/scoring.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import type { QueueProgress } from '../../../schema/validation.ts';
import './cs-queue-progress.ts';
import './cs-rating-disagreements.ts';
import './cs-rating-form.ts';
import { errorText } from '../data/api.ts';
import { userContext } from '../context.ts';

/** Rating campaigns: a rater takes the next answer to rate (blind to the model); maintainers open campaigns. */
@customElement('cs-rating-page')
export class CsRatingPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
        max-inline-size: 60rem;
      }
      .row {
        display: flex;
        gap: 0.6rem;
        align-items: end;
        flex-wrap: wrap;
      }
    `,
  ];

  /** The signed-in user (provided by cs-app). */
  @consume({ context: userContext, subscribe: true }) @state() private _user!: User;
  @state() private _campaigns: RatingCampaign[] = [];
  @state() private _campaignId = 0;
  @state() private _releases: Release[] = [];
  @state() private _task: RatingTask | null = null;
  @state() private _progress: QueueProgress | null = null;
  @state() private _empty = false;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this._start();
  }

  private async _start() {
    try {
      this._campaigns = await listCampaigns();
      this._campaignId = this._campaigns[0]?.id ?? 0;
      if (this._user.role === 'maintainer')
        this._releases = (await listReleases()).filter((r) => r.state === 'published');
      await this._next();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _next() {
    if (!this._campaignId) return;
    const { task, progress } = await nextRatingTask(this._campaignId);
    this._task = task;
    this._progress = progress;
    this._empty = task === null;
  }

  private async _act(fn: () => Promise<unknown>) {
    try {
      await fn();
      this._error = null;
      await this._next();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _newCampaign() {
    const release = this.renderRoot.querySelector<HTMLSelectElement>('#campaign-release');
    const n = this.renderRoot.querySelector<HTMLInputElement>('#raters');
    if (!release?.value) return;
    await this._act(async () => {
      const c = await createCampaign({
        releaseId: Number(release.value),
        name: `${release.selectedOptions[0]?.textContent ?? ''}`.trim() || 'Campaign',
        ratersPerResponse: Number(n?.value ?? 3),
      });
      this._campaigns = await listCampaigns();
      this._campaignId = c.id;
    });
  }

  override render() {
    const task = this._task;
    return html`<h1>${msg('rateTitle')}</h1>
      <p class="muted">${msg('rateIntro')}</p>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
      <div class="row">
        <div>
          <label for="campaign">${msg('campaign')}</label>
          <select
            id="campaign"
            @change=${(e: Event) => ((this._campaignId = Number((e.target as HTMLSelectElement).value)), this._next())}
          >
            ${this._campaigns.map((c) => html`<option value=${c.id}>${c.name} (${c.complete}/${c.responses})</option>`)}
          </select>
        </div>
        ${
          this._user.role === 'maintainer'
            ? html`<div>
                  <label for="campaign-release">${msg('release')}</label>
                  <select id="campaign-release">
                    ${this._releases.map((r) => html`<option value=${r.id}>${r.title} ${r.version}</option>`)}
                  </select>
                </div>
                <div>
                  <label for="raters">${msg('ratersPerResponse')}</label>
                  <input id="raters" type="number" min="1" max="10" value="3" />
                </div>
                <button type="button" @click=${this._newCampaign}>${msg('newCampaign')}</button>`
            : nothing
        }
      </div>
      ${this._campaigns.length === 0 ? html`<p class="muted">${msg('noCampaigns')}</p>` : nothing}
      ${
        this._campaignId
          ? html`<div id=${this._empty ? 'no-rating-task' : 'rating-progress'}>
              <cs-queue-progress kind="rate" .progress=${this._progress}></cs-queue-progress>
            </div>`
          : nothing
      }
      ${
        task
          ? keyed(
              task.id,
              html`<cs-rating-form
                .task=${task}
                @rating-submit=${(e: CustomEvent<RatingInput>) => this._act(() => submitRating(task.id, e.detail))}
                @rating-give-back=${() => this._act(() => giveBackRatingTask(task.id))}
              ></cs-rating-form>`,
            )
          : nothing
      }
      ${
        this._user.role !== 'annotator' && this._campaignId
          ? html`<cs-rating-disagreements .campaignId=${this._campaignId}></cs-rating-disagreements>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-rating-page': CsRatingPage;
  }
}
