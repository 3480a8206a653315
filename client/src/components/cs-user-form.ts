import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { roles, type Role } from '../../../schema/common.ts';
import type { CreateUserInput, UpdateUserInput, User } from '../../../schema/user.ts';
import { ApiError, errorText } from '../data/api.ts';
import { createUser, updateUser } from '../data/users.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

const splitLanguages = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Creates a user, or edits one (role, languages, name, password). Fires `user-saved` with the user. */
@customElement('cs-user-form')
export class CsUserForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        gap: 0.75rem;
        grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
        align-items: end;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
      }
      .error {
        grid-column: 1 / -1;
      }
    `,
  ];

  /** The user being edited; absent when creating. */
  @property({ attribute: false }) user: User | null = null;
  @state() private _error: string | null = null;
  @state() private _busy = false;
  protected readonly i18n = new I18nController(this);

  private async _submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const str = (k: string) => String(data.get(k) ?? '').trim();
    this._busy = true;
    this._error = null;
    try {
      let saved: User;
      if (this.user) {
        const changes: UpdateUserInput = {
          displayName: str('displayName') || undefined,
          role: str('role') as Role,
          languages: splitLanguages(str('languages')),
        };
        if (str('password')) changes.password = str('password');
        saved = await updateUser(this.user.id, changes);
      } else {
        const input: CreateUserInput = {
          username: str('username'),
          displayName: str('displayName') || undefined,
          role: str('role') as Role,
          languages: splitLanguages(str('languages')),
          password: str('password'),
        };
        saved = await createUser(input);
        form.reset();
      }
      this.dispatchEvent(new CustomEvent<User>('user-saved', { detail: saved }));
    } catch (err) {
      const details = err instanceof ApiError && err.details ? ` ${JSON.stringify(err.details)}` : '';
      this._error = errorText(err) + details;
    } finally {
      this._busy = false;
    }
  }

  override render() {
    const u = this.user;
    const id = (k: string) => `${u ? `u${u.id}` : 'new'}-${k}`;
    return html`<form
      @submit=${this._submit}
      aria-label=${u ? `${msg('edit')} ${u.username}` : msg('newUser')}
    >
      ${
        u
          ? nothing
          : html`<div>
              <label for=${id('username')}>${msg('username')}</label>
              <input id=${id('username')} name="username" required dir="auto" autocomplete="off" />
            </div>`
      }
      <div>
        <label for=${id('displayName')}>${msg('displayName')}</label>
        <input id=${id('displayName')} name="displayName" dir="auto" .value=${u?.displayName ?? ''} />
      </div>
      <div>
        <label for=${id('role')}>${msg('role')}</label>
        <select id=${id('role')} name="role">
          ${roles.map((r) => html`<option value=${r} ?selected=${(u?.role ?? 'annotator') === r}>${msg(`role_${r}`)}</option>`)}
        </select>
      </div>
      <div>
        <label for=${id('languages')}>${msg('languages')}</label>
        <input
          id=${id('languages')}
          name="languages"
          placeholder="ko, ar"
          aria-describedby=${id('languages-hint')}
          .value=${u?.languages.join(', ') ?? ''}
        />
        <span class="visually-hidden" id=${id('languages-hint')}>${msg('languagesHint')}</span>
      </div>
      <div>
        <label for=${id('password')}>${msg('password')}</label>
        <input
          id=${id('password')}
          name="password"
          type="password"
          autocomplete="new-password"
          minlength="10"
          ?required=${!u}
        />
      </div>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this._busy}>
          ${u ? msg('save') : msg('create')}
        </button>
        ${
          u
            ? html`<button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>
                ${msg('cancel')}
              </button>`
            : nothing
        }
      </div>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-user-form': CsUserForm;
  }
}
