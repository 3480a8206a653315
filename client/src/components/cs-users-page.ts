import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { User } from '../../../schema/user.ts';
import { listUsers, updateUser } from '../data/users.ts';
import { I18nController, languageName, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-user-form.ts';
import { failed, renderTask } from './task-status.ts';

/** Maintainers: list users, create one, edit role/languages, disable. */
@customElement('cs-users-page')
export class CsUsersPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .page {
        display: grid;
        gap: 1rem;
      }
      .page > * {
        min-inline-size: 0;
      }
      .table-wrap {
        overflow-x: auto;
        position: relative;
      }
      table {
        inline-size: 100%;
        border-collapse: collapse;
        font-size: 0.9rem;
      }
      th,
      td {
        text-align: start;
        padding: 0.5rem 0.6rem;
        border-block-end: 1px solid var(--cs-border);
        vertical-align: middle;
      }
      th {
        font-size: 0.75rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--cs-muted);
      }
      tr.disabled td {
        color: var(--cs-muted);
      }
      .langs {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
      }
      .card h2 {
        margin-block-end: 0.75rem;
      }
      td.edit {
        background: var(--cs-surface-2);
      }
    `,
  ];

  @state() private _editing: number | null = null;
  @state() private _notice: string | null = null;
  /** What the last enable/disable failed with. */
  @state() private _failure: unknown = null;
  protected readonly i18n = new I18nController(this);

  private readonly _users = new Task(this, {
    task: (_args, { signal }) => listUsers({ signal }),
    args: () => [],
  });

  private async _toggle(u: User) {
    this._failure = null;
    try {
      await updateUser(u.id, { disabled: !u.disabled });
      await this._users.run();
    } catch (err) {
      this._failure = err;
    }
  }

  private _row(u: User) {
    if (this._editing === u.id)
      return html`<tr>
        <td colspan="6" class="edit">
          <cs-user-form
            .user=${u}
            @user-saved=${() => {
              this._editing = null;
              this._notice = msg('userSaved');
              void this._users.run();
            }}
            @cancel=${() => (this._editing = null)}
          ></cs-user-form>
        </td>
      </tr>`;
    return html`<tr class=${u.disabled ? 'disabled' : ''} data-username=${u.username}>
      <td><strong dir="auto">${u.username}</strong></td>
      <td dir="auto">${u.displayName}</td>
      <td>${msg(`role_${u.role}`)}</td>
      <td>
        <div class="langs">
          ${u.languages.map((l) => html`<span class="badge" title=${languageName(l)}>${l}</span>`)}
        </div>
      </td>
      <td>${u.disabled ? msg('disabled') : msg('active')}</td>
      <td>
        <div class="row">
          <button type="button" class="link" @click=${() => (this._editing = u.id)}>${msg('edit')}</button>
          <button type="button" class="link" @click=${() => this._toggle(u)}>
            ${u.disabled ? msg('enable') : msg('disable')}
          </button>
        </div>
      </td>
    </tr>`;
  }

  override render() {
    // A failed save makes an earlier success message stale.
    return html`<div class="page" @user-save-failed=${() => (this._notice = null)}>
      <h1>${msg('usersTitle')}</h1>
      <section class="card" aria-labelledby="new-user">
        <h2 id="new-user">${msg('newUser')}</h2>
        <cs-user-form
          @user-saved=${(e: CustomEvent<User>) => {
            this._notice = msg('userCreated', { name: e.detail.username });
            void this._users.run();
          }}
        ></cs-user-form>
      </section>
      ${this._notice ? html`<p class="notice ok" role="status">${this._notice}</p>` : nothing}
      ${this._failure ? failed(this._failure) : nothing}
      <section class="card table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">${msg('username')}</th>
              <th scope="col">${msg('displayName')}</th>
              <th scope="col">${msg('role')}</th>
              <th scope="col">${msg('languages')}</th>
              <th scope="col">${msg('colStatus')}</th>
              <th scope="col"><span class="visually-hidden">${msg('edit')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${renderTask(this._users, (users) => users.map((u) => this._row(u)), { keep: true })}
          </tbody>
        </table>
      </section>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-users-page': CsUsersPage;
  }
}
