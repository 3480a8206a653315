import { consume } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { User } from '../../../schema/user.ts';
import { userContext } from '../context.ts';
import { listReleases } from '../data/releases.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-dataset-picker.ts';
import './cs-release-card.ts';
import './cs-release-form.ts';
import { renderTask } from './task-status.ts';

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

  /** The signed-in user (provided by cs-app). */
  @consume({ context: userContext, subscribe: true }) @state() private _user!: User;
  @state() private _datasetId: number | null = null;
  protected readonly i18n = new I18nController(this);

  /** The dataset's releases; picking another dataset aborts the request for the one before. */
  private readonly _releases = new Task(this, {
    task: ([datasetId], { signal }) => listReleases(datasetId ?? undefined, { signal }),
    args: () => [this._datasetId] as const,
    autoRun: false,
  });

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('_datasetId') && this._datasetId !== null) void this._releases.run();
  }

  override render() {
    const maintainer = this._user.role === 'maintainer';
    return html`<h1>${msg('releasesTitle')}</h1>
      <p class="muted">${msg('releasesIntro')}</p>
      <cs-dataset-picker
        .value=${this._datasetId}
        @dataset-change=${(e: CustomEvent<number | null>) => (this._datasetId = e.detail)}
      ></cs-dataset-picker>
      ${
        maintainer && this._datasetId
          ? html`<cs-release-form
              .datasetId=${this._datasetId}
              .versions=${(this._releases.status === TaskStatus.COMPLETE ? this._releases.value : [])?.map((r) => r.version)}
              @release-created=${() => void this._releases.run()}
            ></cs-release-form>`
          : nothing
      }
      <section class="list">
        ${renderTask(this._releases, (releases) =>
          releases.length === 0
            ? html`<p class="muted">${msg('noReleases')}</p>`
            : releases.map(
                (r) => html`<cs-release-card .release=${r} ?canBuild=${maintainer}></cs-release-card>`,
              ),
        )}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-releases-page': CsReleasesPage;
  }
}
