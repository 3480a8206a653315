import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { ApiToken } from '../../../schema/user.ts';
import { createToken, listTokens, revokeToken } from '../data/tokens.ts';
import { I18nController, msg, relativeTime } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { failed, renderTask } from './task-status.ts';
import { formText } from './form-text.ts';

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

  @state() private _secret: string | null = null;
  @state() private _confirm: number | null = null;
  /** What the last create or revoke failed with. */
  @state() private _failure: unknown = null;
  protected readonly i18n = new I18nController(this);

  private readonly _tokens = new Task(this, {
    task: (_args, { signal }) => listTokens({ signal }),
    args: () => [],
  });

  private async _create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = formText(new FormData(form), 'name').trim();
    this._failure = null;
    try {
      const t = await createToken(name);
      this._secret = t.token;
      form.reset();
      await this._tokens.run();
    } catch (err) {
      this._failure = err;
    }
  }

  private async _revoke(id: number) {
    this._confirm = null;
    this._failure = null;
    await revokeToken(id).catch((err: unknown) => (this._failure = err));
    await this._tokens.run();
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
      ${this._failure ? failed(this._failure) : nothing}
      <section class="card">
        ${renderTask(this._tokens, (tokens) => this._list(tokens), { keep: true })}
      </section>`;
  }

  private _list(tokens: ApiToken[]) {
    return html`${tokens.length === 0 ? html`<p class="muted">${msg('noTokens')}</p>` : nothing}
      <ul>
        ${tokens.map(
          (t) =>
            html`<li>
              <strong dir="auto">${t.name}</strong>
              <span class="badge">${t.prefix}…</span>
              <span class="when muted"
                >${t.lastUsedAt ? msg('lastUsed', { when: relativeTime(t.lastUsedAt) }) : msg('neverUsed')} ·
                ${msg('createdAt', { when: relativeTime(t.createdAt) })}</span
              >
              ${
                this._confirm === t.id
                  ? html`<span class="muted">${msg('revokeConfirm', { name: t.name })}</span>
                      <button type="button" class="danger" @click=${() => this._revoke(t.id)}>
                        ${msg('revoke')}
                      </button>
                      <button type="button" @click=${() => (this._confirm = null)}>${msg('cancel')}</button>`
                  : html`<button type="button" class="danger" @click=${() => (this._confirm = t.id)}>
                      ${msg('revoke')}
                    </button>`
              }
            </li>`,
        )}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-tokens-page': CsTokensPage;
  }
}
