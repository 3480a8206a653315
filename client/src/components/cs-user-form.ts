import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { roles, type Role } from '../../../schema/common.ts';
import type { CreateUserInput, UpdateUserInput, User } from '../../../schema/user.ts';
import { ApiError, errorText } from '../data/api.ts';
import { createUser, updateUser } from '../data/users.ts';
import { errorMessage, fieldErrors } from '../i18n/errors.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-language-picker.ts';
import { formText } from './form-text.ts';

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
        align-items: start;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        align-self: end;
      }
      .error {
        grid-column: 1 / -1;
      }
      .languages {
        grid-column: 1 / -1;
      }
      .problem {
        color: var(--cs-danger);
        font-size: 0.82rem;
        margin: 0.25rem 0 0;
      }
    `,
  ];

  /** The user being edited; absent when creating. */
  @property({ attribute: false }) user: User | null = null;
  /** The last save's error, kept as it came so its words follow a change of interface language. */
  @state() private _failure: unknown = null;
  @state() private _languages: string[] | null = null;
  @state() private _busy = false;
  protected readonly i18n = new I18nController(this);

  private async _submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const str = (k: string) => formText(data, k).trim();
    this._busy = true;
    this._failure = null;
    const languages = this._languages ?? this.user?.languages ?? [];
    try {
      let saved: User;
      if (this.user) {
        const changes: UpdateUserInput = {
          displayName: str('displayName') || undefined,
          role: str('role') as Role,
          languages,
        };
        if (str('password')) changes.password = str('password');
        saved = await updateUser(this.user.id, changes);
      } else {
        const input: CreateUserInput = {
          username: str('username'),
          displayName: str('displayName') || undefined,
          role: str('role') as Role,
          languages,
          password: str('password'),
        };
        saved = await createUser(input);
        form.reset();
        this._languages = null;
      }
      this.dispatchEvent(new CustomEvent<User>('user-saved', { detail: saved }));
    } catch (err) {
      this._failure = err;
      this.dispatchEvent(new CustomEvent('user-save-failed', { bubbles: true, composed: true }));
    } finally {
      this._busy = false;
    }
  }

  /** Problems by field (`username`, `languages`, …), in the interface language, shown next to the fields. */
  private get _problems(): Record<string, string> {
    return this._failure ? fieldErrors(this._failure) : {};
  }

  /** What happened, above the form: with field problems shown next to their fields, only their summary. */
  private get _error(): string | null {
    const err = this._failure;
    if (!err) return null;
    return err instanceof ApiError && Object.keys(this._problems).length
      ? errorMessage(err.code, err.message)
      : errorText(err);
  }

  private _problem(field: string, id: string) {
    const p = this._problems[field];
    return p ? html`<p class="problem" id=${id}>${p}</p>` : nothing;
  }

  override render() {
    const u = this.user;
    const id = (k: string) => `${u ? `u${u.id}` : 'new'}-${k}`;
    const invalid = (k: string) => (this._problems[k] ? 'true' : 'false');
    const describedBy = (k: string) => (this._problems[k] ? id(`${k}-problem`) : nothing);
    return html`<form
      @submit=${this._submit}
      aria-label=${u ? `${msg('edit')} ${u.username}` : msg('newUser')}
    >
      ${
        u
          ? nothing
          : html`<div>
              <label for=${id('username')}>${msg('username')}</label>
              <input
                id=${id('username')}
                name="username"
                required
                dir="auto"
                autocomplete="off"
                aria-invalid=${invalid('username')}
                aria-describedby=${describedBy('username')}
              />
              ${this._problem('username', id('username-problem'))}
            </div>`
      }
      <div>
        <label for=${id('displayName')}>${msg('displayName')}</label>
        <input
          id=${id('displayName')}
          name="displayName"
          dir="auto"
          .value=${u?.displayName ?? ''}
          aria-invalid=${invalid('displayName')}
          aria-describedby=${describedBy('displayName')}
        />
        ${this._problem('displayName', id('displayName-problem'))}
      </div>
      <div>
        <label for=${id('role')}>${msg('role')}</label>
        <select id=${id('role')} name="role">
          ${roles.map((r) => html`<option value=${r} ?selected=${(u?.role ?? 'annotator') === r}>${msg(`role_${r}`)}</option>`)}
        </select>
      </div>
      <cs-language-picker
        class="languages"
        multiple
        .label=${msg('languages')}
        .value=${this._languages ?? u?.languages ?? []}
        .problem=${this._problems.languages ?? null}
        @value-change=${(e: CustomEvent<string[]>) => (this._languages = e.detail)}
      ></cs-language-picker>
      <div>
        <label for=${id('password')}>${msg('password')}</label>
        <input
          id=${id('password')}
          name="password"
          type="password"
          autocomplete="new-password"
          minlength="10"
          ?required=${!u}
          aria-invalid=${invalid('password')}
          aria-describedby=${describedBy('password')}
        />
        ${this._problem('password', id('password-problem'))}
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
