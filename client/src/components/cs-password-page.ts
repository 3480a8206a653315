import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError, NetworkError, errorText } from '../data/api.ts';
import { changePassword } from '../data/session.ts';
import { I18nController, msg, type MessageKey } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { formText } from './form-text.ts';

type Field = 'current' | 'next' | 'confirm';

/** What the server's refusal means to the person, and which field it is about. */
function refusal(err: unknown): { text: string; field?: Field } {
  const known: Record<string, { key: MessageKey; field?: Field }> = {
    'wrong-password': { key: 'passwordWrong', field: 'current' },
    'invalid-input': { key: 'passwordTooShort', field: 'next' },
    'too-many-attempts': { key: 'tooManyAttempts' },
    'password-changed': { key: 'passwordChangedMeanwhile' },
  };
  if (err instanceof NetworkError) return { text: msg('loginOffline') };
  const hit = err instanceof ApiError ? known[err.code] : undefined;
  return hit
    ? { text: msg(hit.key), field: hit.field }
    : { text: msg('errorGeneric', { message: errorText(err) }) };
}

/** The caller changes their own password (the current one is required). */
@customElement('cs-password-page')
export class CsPasswordPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
        max-inline-size: 32rem;
      }
      form {
        display: grid;
        gap: 0.9rem;
      }
      button {
        justify-self: start;
      }
    `,
  ];

  @state() private _busy = false;
  @state() private _error: { text: string; field?: Field } | null = null;
  @state() private _done = false;
  protected readonly i18n = new I18nController(this);

  private async _submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const currentPassword = formText(data, 'current');
    const newPassword = formText(data, 'next');
    this._done = false;
    if (newPassword !== formText(data, 'confirm')) {
      this._error = { text: msg('passwordMismatch'), field: 'confirm' };
      return;
    }
    this._busy = true;
    this._error = null;
    try {
      await changePassword({ currentPassword, newPassword });
      form.reset();
      this._done = true;
    } catch (err) {
      this._error = refusal(err);
    } finally {
      this._busy = false;
    }
  }

  private _input(field: Field, label: MessageKey, autocomplete: string) {
    const invalid = this._error?.field === field;
    return html`<div>
      <label for=${`password-${field}`}>${msg(label)}</label>
      <input
        id=${`password-${field}`}
        name=${field}
        type="password"
        autocomplete=${autocomplete}
        required
        minlength=${field === 'current' ? 1 : 10}
        maxlength="1024"
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${invalid ? 'password-error' : nothing}
      />
    </div>`;
  }

  override render() {
    return html`<h1>${msg('passwordTitle')}</h1>
      <p class="muted">${msg('passwordIntro')}</p>
      <form class="card" @submit=${this._submit}>
        ${this._input('current', 'currentPassword', 'current-password')}
        ${this._input('next', 'newPassword', 'new-password')}
        ${this._input('confirm', 'confirmPassword', 'new-password')}
        ${
          this._error
            ? html`<p id="password-error" class="notice error" role="alert">${this._error.text}</p>`
            : nothing
        }
        ${this._done ? html`<p class="notice ok" role="status">${msg('passwordChanged')}</p>` : nothing}
        <button class="primary" type="submit" ?disabled=${this._busy}>
          ${this._busy ? msg('changingPassword') : msg('changePassword')}
        </button>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-password-page': CsPasswordPage;
  }
}
