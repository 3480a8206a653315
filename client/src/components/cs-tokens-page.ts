import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { ApiToken } from '../../../schema/user.ts';
import { createToken, listTokens, revokeToken } from '../data/tokens.ts';
import { I18nController, msg, relativeTime } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { errorText } from '../data/api.ts';

/** The caller's API tokens: create (secret shown once), list, revoke. */
@customElement('cs-tokens-page')
export class CsTokensPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
        max-inline-size: 48rem;
      }
      form {
        display: flex;
        gap: 0.5rem;
        align-items: end;
      }
      form div {
        flex: 1;
      }
      code {
        display: block;
        font-family: var(--cs-font-mono);
        background: var(--cs-surface);
        padding: 0.5rem;
        border-radius: var(--cs-radius);
        margin-block-start: 0.4rem;
        word-break: break-all;
        user-select: all;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      li {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        padding-block: 0.5rem;
        border-block-end: 1px solid var(--cs-border);
      }
      li .when {
        margin-inline-start: auto;
      }
    `,
  ];

  @state() private _tokens: ApiToken[] = [];
  @state() private _secret: string | null = null;
  @state() private _confirm: number | null = null;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load() {
    try {
      this._tokens = await listTokens();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '').trim();
    try {
      const t = await createToken(name);
      this._secret = t.token;
      form.reset();
      await this._load();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _revoke(id: number) {
    this._confirm = null;
    await revokeToken(id).catch((err: unknown) => (this._error = String(err)));
    await this._load();
  }

  override render() {
    return html`<h1>${msg('tokensTitle')}</h1>
      <p class="muted">${msg('tokensIntro')}</p>
      <form class="card" @submit=${this._create}>
        <div>
          <label for="token-name">${msg('tokenName')}</label>
          <input id="token-name" name="name" required maxlength="100" dir="auto" />
        </div>
        <button class="primary" type="submit">${msg('createToken')}</button>
      </form>
      ${
        this._secret
          ? html`<div class="notice ok" role="status">
              ${msg('tokenCreated')}<code>${this._secret}</code>
            </div>`
          : nothing
      }
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
      <section class="card">
        ${this._tokens.length === 0 ? html`<p class="muted">${msg('noTokens')}</p>` : nothing}
        <ul>
          ${this._tokens.map(
            (t) =>
              html`<li>
                <strong dir="auto">${t.name}</strong>
                <span class="badge">${t.prefix}…</span>
                <span class="when muted"
                  >${t.lastUsedAt ? msg('lastUsed', { when: relativeTime(t.lastUsedAt) }) : msg('neverUsed')}
                  · ${msg('createdAt', { when: relativeTime(t.createdAt) })}</span
                >
                ${
                  this._confirm === t.id
                    ? html`<span class="muted">${msg('revokeConfirm', { name: t.name })}</span>
                        <button type="button" class="danger" @click=${() => this._revoke(t.id)}>
                          ${msg('revoke')}
                        </button>
                        <button type="button" @click=${() => (this._confirm = null)}>
                          ${msg('cancel')}
                        </button>`
                    : html`<button type="button" class="danger" @click=${() => (this._confirm = t.id)}>
                        ${msg('revoke')}
                      </button>`
                }
              </li>`,
          )}
        </ul>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-tokens-page': CsTokensPage;
  }
}
