import { consume } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { User } from '../../../schema/user.ts';
import { userContext } from '../context.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { navLinks, type Route } from '../router.ts';
import { pages } from '../routes.ts';
import { shared } from '../styles/shared.ts';
import './cs-account-menu.ts';

/** The header: the brand, the main navigation (from the route table) and the account menu. */
@customElement('cs-app-header')
export class CsAppHeader extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        position: sticky;
        inset-block-start: 0;
        z-index: 10;
      }
      header {
        display: flex;
        align-items: center;
        gap: 1.25rem;
        padding-inline: 1.25rem;
        block-size: 3.25rem;
        background: var(--cs-accent-strong);
        color: #f4efe6;
        position: relative;
      }
      .brand {
        font-weight: 700;
        letter-spacing: 0.01em;
        color: inherit;
        text-decoration: none;
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .brand img {
        inline-size: 1.4rem;
      }
      nav ul {
        display: flex;
        gap: 0.25rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        color: #dfe9e6;
        text-decoration: none;
        padding: 0.35rem 0.7rem;
        border-radius: var(--cs-radius);
        font-size: 0.92rem;
      }
      nav a:hover {
        background: rgb(255 255 255 / 10%);
      }
      nav a[aria-current='page'] {
        background: rgb(255 255 255 / 16%);
        color: #fff;
      }
      nav a:focus-visible {
        outline-color: #fff;
      }
      .menu-toggle {
        display: none;
      }
      /* Phones and narrow windows: the navigation folds behind a Menu button (a maintainer has 13 links). */
      @media (max-width: 72rem) {
        header {
          gap: 0.5rem;
          padding-inline: 0.5rem 0.75rem;
        }
        .menu-toggle {
          display: inline-flex;
          align-items: center;
          gap: 0.4rem;
          min-block-size: 44px;
          min-inline-size: 44px;
          background: transparent;
          border: 1px solid rgb(255 255 255 / 35%);
          color: inherit;
        }
        .menu-toggle:hover:not(:disabled) {
          background: rgb(255 255 255 / 10%);
        }
        .menu-toggle:focus-visible {
          outline-color: #fff;
        }
        nav {
          display: none;
          position: absolute;
          inset-inline: 0;
          inset-block-start: 100%;
          background: var(--cs-accent-strong);
          padding: 0.5rem;
          box-shadow: 0 6px 12px rgb(0 0 0 / 20%);
          max-block-size: calc(100vh - 3.25rem);
          overflow-y: auto;
        }
        nav.open {
          display: block;
        }
        nav ul {
          flex-direction: column;
        }
        nav a {
          display: flex;
          align-items: center;
          min-block-size: 44px;
          font-size: 1rem;
        }
        .brand span {
          display: none;
        }
      }
    `,
  ];

  /** The open page: its link is marked current, and a new one folds the phone menu. */
  @property({ attribute: false }) route: Route = { kind: 'not-found' };
  @consume({ context: userContext, subscribe: true }) @state() private _user?: User;
  @state() private _navOpen = false;
  protected readonly i18n = new I18nController(this);

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('route')) this._navOpen = false;
  }

  override render() {
    const role = this._user?.role;
    if (!role) return html``;
    return html`<header>
      <button
        type="button"
        class="menu-toggle"
        aria-expanded=${this._navOpen ? 'true' : 'false'}
        aria-controls="main-nav"
        @click=${() => (this._navOpen = !this._navOpen)}
      >
        ${this._navOpen ? '✕' : '☰'} ${msg('navMenu')}
      </button>
      <a class="brand" href="/items" aria-label=${msg('appName')}
        ><img src="/favicon.svg" alt="" /><span>${msg('appName')}</span></a
      >
      <nav id="main-nav" class=${this._navOpen ? 'open' : ''} aria-label=${msg('navMain')}>
        <ul>
          ${navLinks(pages, role, 'main', this.route).map(
            (l) =>
              html`<li>
                <a href=${l.href} aria-current=${l.current ? 'page' : 'false'}
                  >${msg(l.page.nav?.label ?? 'appName')}</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      <cs-account-menu .links=${navLinks(pages, role, 'account', this.route)}></cs-account-menu>
    </header>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-app-header': CsAppHeader;
  }
}
