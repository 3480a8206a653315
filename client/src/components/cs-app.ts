import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { uiLocales, type Role, type UiLocale } from '../../../schema/common.ts';
import type { SessionInfo } from '../../../schema/user.ts';
import { loadSession, logout, saveUiLocale } from '../data/session.ts';
import { I18nController, msg, setLocale } from '../i18n/index.ts';
import { navigate, onRouteChange, parseRoute, type Route } from '../router.ts';
import { shared } from '../styles/shared.ts';
import './cs-item-editor.ts';
import './cs-item-list.ts';
import './cs-login.ts';
import './cs-new-item.ts';
import { errorText } from '../data/api.ts';

const LOCALE_NAMES: Record<UiLocale, string> = { en: 'English', ko: '한국어' };

/** Pages for some roles only; anyone else gets a "not available for your role" page, not a broken form. */
const pageRoles: Partial<Record<Route['name'], readonly Role[]>> = {
  users: ['maintainer'],
  taxonomies: ['maintainer'],
  import: ['maintainer'],
  scoring: ['maintainer'],
  report: ['maintainer'],
  agreement: ['reviewer', 'maintainer'],
  'review-queue': ['reviewer', 'maintainer'],
  'review-item': ['reviewer', 'maintainer'],
};

/** Pages loaded on demand, so the initial bundle stays small. */
const lazyPages: Partial<Record<Route['name'], () => Promise<unknown>>> = {
  users: () => import('./cs-users-page.ts'),
  taxonomies: () => import('./cs-taxonomies-page.ts'),
  tokens: () => import('./cs-tokens-page.ts'),
  password: () => import('./cs-password-page.ts'),
  validate: () => import('./cs-validation-page.ts'),
  'review-queue': () => import('./cs-review-queue.ts'),
  'review-item': () => import('./cs-review-item.ts'),
  agreement: () => import('./cs-agreement-page.ts'),
  import: () => import('./cs-import-page.ts'),
  releases: () => import('./cs-releases-page.ts'),
  scoring: () => import('./cs-runs-page.ts'),
  rate: () => import('./cs-rating-page.ts'),
  report: () => import('./cs-report-page.ts'),
};

/** The application shell: session, routing, navigation, account menu. */
@customElement('cs-app')
export class CsApp extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        min-block-size: 100vh;
      }
      header {
        display: flex;
        align-items: center;
        gap: 1.25rem;
        padding-inline: 1.25rem;
        block-size: 3.25rem;
        background: var(--cs-accent-strong);
        color: #f4efe6;
        position: sticky;
        inset-block-start: 0;
        z-index: 10;
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
      nav a:focus-visible,
      summary:focus-visible {
        outline-color: #fff;
      }
      .account {
        margin-inline-start: auto;
        position: relative;
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
      main {
        padding: 1.25rem;
        max-inline-size: 90rem;
        margin-inline: auto;
      }
      main:focus {
        outline: none;
      }
      /* Off screen until it has the focus: the first Tab stop of every page. */
      .skip-link {
        position: absolute;
        inset-inline-start: 0.5rem;
        inset-block-start: -4rem;
        z-index: 10;
        padding: 0.5rem 0.9rem;
        border-radius: var(--cs-radius);
        background: var(--cs-surface);
        color: var(--cs-accent-strong);
        font-weight: 600;
        box-shadow: var(--cs-shadow);
      }
      .skip-link:focus {
        inset-block-start: 0.5rem;
        outline: 2px solid var(--cs-focus);
        outline-offset: 2px;
      }
      .menu-toggle {
        display: none;
      }
      /* Phones and narrow windows: the navigation folds behind a Menu button (a maintainer has 12 links). */
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
        main {
          padding: 0.75rem;
        }
      }
      .offline {
        background: var(--cs-warn-soft);
        color: var(--cs-warn);
        padding: 0.45rem 1.25rem;
        font-size: 0.88rem;
        border-block-end: 1px solid color-mix(in srgb, var(--cs-warn) 25%, white);
      }
    `,
  ];

  @state() private _session: SessionInfo | null = null;
  @state() private _loaded = false;
  @state() private _route: Route = parseRoute();
  @state() private _online = navigator.onLine;
  @state() private _error: string | null = null;
  @state() private _navOpen = false;

  protected readonly i18n = new I18nController(this);
  private _unroute?: () => void;
  private readonly _onlineChange = () => (this._online = navigator.onLine);

  override connectedCallback(): void {
    super.connectedCallback();
    this._unroute = onRouteChange(() => this._routeChanged());
    window.addEventListener('online', this._onlineChange);
    window.addEventListener('offline', this._onlineChange);
    void lazyPages[this._route.name]?.();
    void this._start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unroute?.();
    window.removeEventListener('online', this._onlineChange);
    window.removeEventListener('offline', this._onlineChange);
  }

  private async _start() {
    try {
      const { session } = await loadSession();
      this._signedIn(session);
    } catch (err) {
      this._error = errorText(err);
    }
    this._loaded = true;
  }

  private _signedIn(session: SessionInfo | null) {
    this._session = session;
    if (!session) return;
    setLocale(session.user.uiLocale);
    if (this._route.name === 'login') navigate('/items', { replace: true });
  }

  private _routeChanged() {
    this._route = parseRoute();
    this._navOpen = false;
    const load = lazyPages[this._route.name];
    if (load) void load();
  }

  private _changeLocale(e: Event) {
    const locale = (e.target as HTMLSelectElement).value as UiLocale;
    setLocale(locale);
    if (this._session)
      this._session = { ...this._session, user: { ...this._session.user, uiLocale: locale } };
    // Saved on the account; if that fails (offline) the choice still holds for this visit.
    saveUiLocale(locale).catch(() => undefined);
  }

  private async _logout() {
    try {
      await logout();
    } finally {
      this._session = null;
      navigate('/login');
    }
  }

  override render() {
    if (!this._loaded) return html`<main><p class="muted">${msg('loading')}</p></main>`;
    if (this._error) return html`<main><p class="notice error" role="alert">${this._error}</p></main>`;
    if (!this._session)
      return html`<cs-login
        @signed-in=${(e: CustomEvent<SessionInfo>) => this._signedIn(e.detail)}
      ></cs-login>`;
    return html`
      <a class="skip-link" href="#main" @click=${this._skipToMain}>${msg('skipToContent')}</a>
      ${this._header(this._session)}
      ${this._online ? nothing : html`<div class="offline" role="status">${msg('offlineBanner')}</div>`}
      <main id="main" tabindex="-1">${this._page(this._session)}</main>
    `;
  }

  /** The skip link moves focus into the page itself (the router must not treat it as a navigation). */
  private _skipToMain(e: Event) {
    e.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  private _header(session: SessionInfo) {
    const r = this._route.name;
    const link = (href: string, label: string, active: boolean) =>
      html`<li><a href=${href} aria-current=${active ? 'page' : 'false'}>${label}</a></li>`;
    const maintainer = session.user.role === 'maintainer';
    const reviewer = maintainer || session.user.role === 'reviewer';
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
          ${link('/items', msg('navItems'), r === 'items' || r === 'item')}
          ${link('/items/new', msg('navNewItem'), r === 'new-item')}
          ${link('/validate', msg('navValidate'), r === 'validate')}
          ${reviewer ? link('/review', msg('navReview'), r === 'review-queue' || r === 'review-item') : nothing}
          ${maintainer ? link('/agreement', msg('navAgreement'), r === 'agreement') : nothing}
          ${maintainer ? link('/admin/taxonomies', msg('navTaxonomies'), r === 'taxonomies') : nothing}
          ${maintainer ? link('/admin/users', msg('navUsers'), r === 'users') : nothing}
          ${maintainer ? link('/admin/import', msg('navImport'), r === 'import') : nothing}
          ${link('/releases', msg('navReleases'), r === 'releases')}
          ${link('/rate', msg('navRate'), r === 'rate')}
          ${maintainer ? link('/scoring', msg('navScoring'), r === 'scoring') : nothing}
          ${maintainer ? link('/scoring/report', msg('navReport'), r === 'report') : nothing}
        </ul>
      </nav>
      <details class="account">
        <summary aria-label=${msg('accountMenu')}>${session.user.displayName} ▾</summary>
        <div class="menu card">
          <span class="muted">${msg('signedInAs', { name: session.user.username })}</span>
          <div>
            <label for="ui-locale">${msg('uiLanguage')}</label>
            <select id="ui-locale" @change=${this._changeLocale}>
              ${uiLocales.map(
                (l) =>
                  html`<option value=${l} lang=${l} ?selected=${l === document.documentElement.lang}>
                    ${LOCALE_NAMES[l]}
                  </option>`,
              )}
            </select>
          </div>
          <a href="/account/tokens">${msg('navTokens')}</a>
          <a href="/account/password">${msg('navPassword')}</a>
          <button type="button" @click=${this._logout}>${msg('logout')}</button>
        </div>
      </details>
    </header>`;
  }

  private _page(session: SessionInfo): TemplateResult | ReturnType<typeof keyed> {
    const route = this._route;
    const user = session.user;
    const roles = pageRoles[route.name];
    if (roles && !roles.includes(user.role))
      return html`<section class="card" data-page="role-restricted">
        <h1>${msg('pageNotForRole')}</h1>
        <p>${msg('pageNotForRoleText', { role: msg(`role_${user.role}`) })}</p>
        <p><a href="/items">${msg('backToItems')}</a></p>
      </section>`;
    switch (route.name) {
      case 'items':
        return html`<cs-item-list .user=${user} .query=${route.query}></cs-item-list>`;
      case 'new-item':
        return html`<cs-new-item .user=${user}></cs-new-item>`;
      case 'item':
        return keyed(route.id, html`<cs-item-editor .user=${user} .itemId=${route.id}></cs-item-editor>`);
      case 'users':
        return html`<cs-users-page></cs-users-page>`;
      case 'taxonomies':
        return html`<cs-taxonomies-page></cs-taxonomies-page>`;
      case 'tokens':
        return html`<cs-tokens-page></cs-tokens-page>`;
      case 'password':
        return html`<cs-password-page></cs-password-page>`;
      case 'validate':
        return html`<cs-validation-page></cs-validation-page>`;
      case 'review-queue':
        return html`<cs-review-queue></cs-review-queue>`;
      case 'review-item':
        return keyed(route.id, html`<cs-review-item .itemId=${route.id}></cs-review-item>`);
      case 'agreement':
        return html`<cs-agreement-page .user=${user}></cs-agreement-page>`;
      case 'import':
        return html`<cs-import-page></cs-import-page>`;
      case 'releases':
        return html`<cs-releases-page .user=${user}></cs-releases-page>`;
      case 'scoring':
        return html`<cs-runs-page></cs-runs-page>`;
      case 'rate':
        return html`<cs-rating-page .user=${user}></cs-rating-page>`;
      case 'report':
        return html`<cs-report-page></cs-report-page>`;
      case 'login':
        return html`<p class="muted">${msg('loading')}</p>`;
      case 'not-found':
        return html`<h1>${msg('notFound')}</h1>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-app': CsApp;
  }
}
