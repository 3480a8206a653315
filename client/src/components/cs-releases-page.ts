import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Dataset } from '../../../schema/dataset.ts';
import type { Release } from '../../../schema/release.ts';
import type { User } from '../../../schema/user.ts';
import { listDatasets } from '../data/datasets.ts';
import { listReleases } from '../data/releases.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-release-card.ts';
import './cs-release-form.ts';
import { errorText } from '../data/api.ts';

/** Releases of a dataset: the list (newest first) and, for maintainers, the form to cut a new one. */
@customElement('cs-releases-page')
export class CsReleasesPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
        max-inline-size: 72rem;
      }
      .list {
        display: grid;
        gap: 0.8rem;
      }
    `,
  ];

  @property({ attribute: false }) user!: User;
  @state() private _datasets: Dataset[] = [];
  @state() private _datasetId = 0;
  @state() private _releases: Release[] = [];
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void listDatasets()
      .then((d) => {
        this._datasets = d;
        this._datasetId = d[0]?.id ?? 0;
        return this._load();
      })
      .catch((err: unknown) => (this._error = String(err)));
  }

  private async _load() {
    if (!this._datasetId) return;
    try {
      this._releases = await listReleases(this._datasetId);
    } catch (err) {
      this._error = errorText(err);
    }
  }

  override render() {
    const maintainer = this.user?.role === 'maintainer';
    return html`<h1>${msg('releasesTitle')}</h1>
      <p class="muted">${msg('releasesIntro')}</p>
      <div>
        <label for="dataset">${msg('filterDataset')}</label>
        <select
          id="dataset"
          @change=${(e: Event) => ((this._datasetId = Number((e.target as HTMLSelectElement).value)), this._load())}
        >
          ${this._datasets.map((d) => html`<option value=${d.id} ?selected=${d.id === this._datasetId}>${d.name}</option>`)}
        </select>
      </div>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
      ${
        maintainer && this._datasetId
          ? html`<cs-release-form
              .datasetId=${this._datasetId}
              .versions=${this._releases.map((r) => r.version)}
              @release-created=${() => this._load()}
            ></cs-release-form>`
          : nothing
      }
      <section class="list">
        ${this._releases.length === 0 ? html`<p class="muted">${msg('noReleases')}</p>` : nothing}
        ${this._releases.map((r) => html`<cs-release-card .release=${r} ?canBuild=${maintainer}></cs-release-card>`)}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-releases-page': CsReleasesPage;
  }
}
