import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { SessionInfo } from '../../../schema/user.ts';
import { ApiError, errorText, NetworkError } from '../data/api.ts';
import { login } from '../data/session.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { formText } from './form-text.ts';

/** The sign-in form. Fires `signed-in` with the new session. */
@customElement('cs-login')
export class CsLogin extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        place-items: center;
        min-block-size: 100vh;
        padding: 1rem;
      }
      form {
        inline-size: min(24rem, 100%);
        display: grid;
        gap: 0.9rem;
        padding: 1.75rem;
      }
      .brand {
        display: flex;
        gap: 0.6rem;
        align-items: center;
        font-weight: 700;
        font-size: 1.1rem;
        color: var(--cs-accent-strong);
      }
      .brand img {
        inline-size: 1.8rem;
      }
      button {
        justify-self: start;
      }
    `,
  ];

  @state() private _busy = false;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  private async _submit(e: SubmitEvent) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    this._busy = true;
    this._error = null;
    try {
      const session = await login(formText(form, 'username'), formText(form, 'password'));
      this.dispatchEvent(new CustomEvent<SessionInfo>('signed-in', { detail: session }));
    } catch (err) {
      if (err instanceof NetworkError) this._error = msg('loginOffline');
      else if (err instanceof ApiError && err.status === 401) this._error = msg('loginFailed');
      else if (err instanceof ApiError && err.code === 'too-many-attempts')
        this._error = msg('tooManyAttempts');
      else this._error = errorText(err);
    } finally {
      this._busy = false;
    }
  }

  override render() {
    return html`<form class="card" @submit=${this._submit} aria-labelledby="login-title">
      <div class="brand"><img src="/favicon.svg" alt="" />${msg('appName')}</div>
      <h1 id="login-title">${msg('loginTitle')}</h1>
      <p class="muted">${msg('loginIntro')}</p>
      <div>
        <label for="username">${msg('username')}</label>
        <input id="username" name="username" autocomplete="username" required dir="auto" />
      </div>
      <div>
        <label for="password">${msg('password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
      </div>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : ''}
      <button class="primary" type="submit" ?disabled=${this._busy}>
        ${this._busy ? msg('signingIn') : msg('signIn')}
      </button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-login': CsLogin;
  }
}
