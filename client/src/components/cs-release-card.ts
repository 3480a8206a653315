import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Release } from '../../../schema/release.ts';
import { buildRelease, getRelease, releaseArchiveUrl, releaseChangelog } from '../data/releases.ts';
import { dateTime, I18nController, msg, type MessageKey } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-release-chart.ts';
import { markdownFragment } from './markdown.ts';
import { PollController } from './poll-controller.ts';
import { errorText } from '../data/api.ts';

/** How often a card polls a release that is being built. */
const POLL_MS = 1000;

/**
 * One release: version, state, counts chart, download link, changelog (Markdown, sanitised). While it is
 * being built (a job on the server), it polls the release and shows the build's progress; leaving the page
 * stops the polling, coming back starts it again.
 */
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
      .changelog {
        font-size: 0.9rem;
        background: var(--cs-surface);
        padding: 0.25rem 0.9rem;
        border-radius: var(--cs-radius);
        max-block-size: 24rem;
        overflow: auto;
        overflow-wrap: anywhere;
      }
      .changelog h1 {
        font-size: 1.1rem;
      }
      .changelog h2 {
        font-size: 1rem;
      }
      .changelog h3 {
        font-size: 0.95rem;
      }
      .changelog ul {
        padding-inline-start: 1.2rem;
      }
      .changelog code {
        font-family: var(--cs-font-mono);
        font-size: 0.82rem;
      }
    `,
  ];

  @property({ attribute: false }) release!: Release;
  @property({ type: Boolean }) canBuild = false;
  /** The rendered changelog while it is open. */
  @state() private _changelog: DocumentFragment | null = null;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);
  protected readonly poller = new PollController(this, {
    everyMs: POLL_MS,
    active: () => this.release?.state === 'building',
    poll: async () => {
      try {
        this.release = await getRelease(this.release.id);
        this._error = null;
      } catch (err) {
        this._error = errorText(err);
      }
    },
  });

  private _progress() {
    const p = this.release.progress;
    if (!p) return html`<progress aria-label=${msg('releaseBuilding')}></progress>`;
    const phase = msg(`releasePhase_${p.phase}` as MessageKey);
    return html`<span role="status"
        >${phase}${p.total ? ` · ${p.done} / ${p.total}` : p.done ? ` · ${p.done}` : ''}</span
      >
      ${
        p.total
          ? html`<progress max=${p.total} value=${p.done} aria-label=${phase}></progress>`
          : html`<progress aria-label=${phase}></progress>`
      }`;
  }

  /** What to fix when the build refused the snapshot (the incomplete items, by id). */
  private _refusal() {
    const details = this.release.errorDetails as { items?: { uid: string; problems: string[] }[] } | null;
    if (this.release.errorCode !== 'incomplete-items' || !details?.items) return nothing;
    return html`<ul class="muted">
      ${details.items.map((i) => html`<li><code>${i.uid}</code>: ${i.problems.join('; ')}</li>`)}
    </ul>`;
  }

  private async _toggleChangelog() {
    if (this._changelog !== null) {
      this._changelog = null;
      return;
    }
    try {
      this._changelog = markdownFragment(await releaseChangelog(this.release.id));
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
        ${r.state === 'building' ? this._progress() : nothing}
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
            : this.canBuild && r.state === 'failed'
              ? html`<button type="button" @click=${this._build}>${msg('releaseRetry')}</button>`
              : nothing
        }
        ${r.error ? html`<span class="notice error">${r.error}</span>` : nothing}
      </div>
      ${r.state === 'failed' ? this._refusal() : nothing}
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
      ${
        this._changelog !== null
          ? html`<section
              class="changelog"
              dir="auto"
              tabindex="0"
              aria-label=${msg('releaseChangelogLabel', { version: r.version })}
            >
              ${this._changelog}
            </section>`
          : nothing
      }
      <cs-release-chart .counts=${r.counts}></cs-release-chart>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-release-card': CsReleaseCard;
  }
}
