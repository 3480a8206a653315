import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Release } from '../../../schema/release.ts';
import { buildRelease, releaseArchiveUrl, releaseChangelog } from '../data/releases.ts';
import { dateTime, I18nController, msg, type MessageKey } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-release-chart.ts';
import { errorText } from '../data/api.ts';

/** One release: version, state, counts chart, download link, changelog (shown as plain text). */
@customElement('cs-release-card')
export class CsReleaseCard extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      header {
        display: flex;
        gap: 0.75rem;
        align-items: baseline;
        flex-wrap: wrap;
      }
      .actions {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        margin-block: 0.6rem;
      }
      pre {
        white-space: pre-wrap;
        font-family: var(--cs-font-mono);
        font-size: 0.82rem;
        background: var(--cs-surface);
        padding: 0.75rem;
        border-radius: var(--cs-radius);
        max-block-size: 24rem;
        overflow: auto;
      }
    `,
  ];

  @property({ attribute: false }) release!: Release;
  @property({ type: Boolean }) canBuild = false;
  @state() private _changelog: string | null = null;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  private async _toggleChangelog() {
    if (this._changelog !== null) {
      this._changelog = null;
      return;
    }
    try {
      this._changelog = await releaseChangelog(this.release.id);
    } catch (err) {
      this._error = String(err);
    }
  }

  private async _build() {
    try {
      this.release = await buildRelease(this.release.id);
    } catch (err) {
      this._error = errorText(err);
    }
  }

  override render() {
    const r = this.release;
    return html`<article class="card">
      <header>
        <h2>${r.version}</h2>
        <strong dir="auto">${r.title}</strong>
        <span class="badge">${msg(`releaseState_${r.state}` as MessageKey)}</span>
        <span class="muted">${msg('releaseItems', { count: r.itemCount })} · ${r.releasedAt}</span>
        ${r.publishedAt ? html`<span class="muted">${dateTime(r.publishedAt)}</span>` : nothing}
      </header>
      ${r.notes ? html`<p dir="auto">${r.notes}</p>` : nothing}
      <div class="actions">
        ${
          r.state === 'published'
            ? html`<a href=${releaseArchiveUrl(r.id)} download>${msg('releaseDownload')}</a>
                <button
                  type="button"
                  @click=${this._toggleChangelog}
                  aria-expanded=${this._changelog !== null}
                >
                  ${msg('releaseChangelog')}
                </button>`
            : this.canBuild
              ? html`<button type="button" @click=${this._build}>${msg('releaseRetry')}</button>`
              : nothing
        }
        ${r.error ? html`<span class="notice error">${r.error}</span>` : nothing}
      </div>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
      ${this._changelog !== null ? html`<pre dir="auto">${this._changelog}</pre>` : nothing}
      <cs-release-chart .counts=${r.counts}></cs-release-chart>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-release-card': CsReleaseCard;
  }
}
