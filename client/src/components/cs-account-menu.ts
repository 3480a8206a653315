import { consume } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { uiLocales, type UiLocale } from '../../../schema/common.ts';
import type { User } from '../../../schema/user.ts';
import { userContext } from '../context.ts';
import { logout } from '../data/session.ts';
import { I18nController, msg } from '../i18n/index.ts';
import type { NavLink } from '../router.ts';
import { shared } from '../styles/shared.ts';

const LOCALE_NAMES: Record<UiLocale, string> = { en: 'English', ko: '한국어' };

/**
 * The account menu: who is signed in, the interface language, the account's pages and sign-out. Fires
 * `locale-change` (detail: the language picked) and `signed-out`.
 */
@customElement('cs-account-menu')
export class CsAccountMenu extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        margin-inline-start: auto;
        position: relative;
        color: inherit;
      }
      summary {
        cursor: pointer;
        list-style: none;
        padding: 0.35rem 0.7rem;
        border-radius: var(--cs-radius);
        font-size: 0.92rem;
      }
      summary::-webkit-details-marker {
        display: none;
      }
      summary:hover {
        background: rgb(255 255 255 / 10%);
      }
      summary:focus-visible {
        outline-color: #fff;
      }
      .menu {
        position: absolute;
        inset-inline-end: 0;
        inset-block-start: calc(100% + 0.4rem);
        min-inline-size: 15rem;
        color: var(--cs-text);
        display: grid;
        gap: 0.6rem;
      }
      .menu a {
        color: var(--cs-accent);
      }
      @media (max-width: 72rem) {
        summary {
          min-block-size: 44px;
          display: flex;
          align-items: center;
          max-inline-size: 11rem;
          overflow: hidden;
          text-overflow: ellipsis;
          white-space: nowrap;
        }
        .menu {
          max-inline-size: calc(100vw - 1rem);
        }
      }
    `,
  ];

  /** The account's pages (from the route table). */
  @property({ attribute: false }) links: readonly NavLink[] = [];
  @consume({ context: userContext, subscribe: true }) @state() private _user?: User;
  protected readonly i18n = new I18nController(this);

  private _changeLocale(e: Event) {
    const locale = (e.target as HTMLSelectElement).value as UiLocale;
    this.dispatchEvent(
      new CustomEvent<UiLocale>('locale-change', { detail: locale, bubbles: true, composed: true }),
    );
  }

  private async _logout() {
    try {
      await logout();
    } finally {
      this.dispatchEvent(new CustomEvent('signed-out', { bubbles: true, composed: true }));
    }
  }

  override render() {
    const user = this._user;
    if (!user) return html``;
    return html`<details class="account">
      <summary aria-label=${msg('accountMenu')}>${user.displayName} ▾</summary>
      <div class="menu card">
        <span class="muted">${msg('signedInAs', { name: user.username })}</span>
        <div>
          <label for="ui-locale">${msg('uiLanguage')}</label>
          <select id="ui-locale" @change=${this._changeLocale}>
            ${uiLocales.map(
              (l) =>
                html`<option value=${l} lang=${l} ?selected=${l === this.i18n.locale}>
                  ${LOCALE_NAMES[l]}
                </option>`,
            )}
          </select>
        </div>
        ${this.links.map((l) => html`<a href=${l.href}>${msg(l.page.nav?.label ?? 'appName')}</a>`)}
        <button type="button" @click=${this._logout}>${msg('logout')}</button>
      </div>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-account-menu': CsAccountMenu;
  }
}
