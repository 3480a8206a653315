import { ContextProvider } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { UiLocale } from '../../../schema/common.ts';
import type { SessionInfo } from '../../../schema/user.ts';
import { i18nContext, userContext } from '../context.ts';
import { errorText } from '../data/api.ts';
import { loadSession, saveUiLocale } from '../data/session.ts';
import { getLocale, msg, setLocale } from '../i18n/index.ts';
import { navigate, onRouteChange, pageAllows, parseRoute, type Route } from '../router.ts';
import { pages } from '../routes.ts';
import { shared } from '../styles/shared.ts';
import './cs-app-header.ts';
import './cs-login.ts';

/**
 * The application shell: the session, the route (pages from client/src/routes.ts), and the signed-in user and the
 * interface language provided to every component below (client/src/context.ts).
 */
@customElement('cs-app')
export class CsApp extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        min-block-size: 100vh;
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
        z-index: 11;
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
      @media (max-width: 72rem) {
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
  @state() private _route: Route = parseRoute(pages);
  @state() private _online = navigator.onLine;
  @state() private _error: string | null = null;

  private readonly _user = new ContextProvider(this, { context: userContext });
  private readonly _i18n = new ContextProvider(this, {
    context: i18nContext,
    initialValue: { locale: getLocale(), msg },
  });
  private _unroute?: () => void;
  private readonly _onlineChange = () => (this._online = navigator.onLine);

  override connectedCallback(): void {
    super.connectedCallback();
    this._unroute = onRouteChange(() => this._routeChanged());
    window.addEventListener('online', this._onlineChange);
    window.addEventListener('offline', this._onlineChange);
    this._loadPage();
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
    this._user.setValue(session.user);
    this._setLocale(session.user.uiLocale);
    if (this._route.kind === 'login') navigate('/items', { replace: true });
  }

  /** The interface language of every component: `msg` reads it, the context re-renders them. */
  private _setLocale(locale: UiLocale) {
    setLocale(locale);
    this._i18n.setValue({ locale, msg });
    this.requestUpdate();
  }

  private _routeChanged() {
    this._route = parseRoute(pages);
    this._loadPage();
  }

  private _loadPage() {
    if (this._route.kind === 'page') void this._route.page.load?.();
  }

  private _changeLocale(locale: UiLocale) {
    this._setLocale(locale);
    if (this._session) {
      this._session = { ...this._session, user: { ...this._session.user, uiLocale: locale } };
      this._user.setValue(this._session.user);
    }
    // Saved on the account; if that fails (offline) the choice still holds for this visit.
    saveUiLocale(locale).catch(() => undefined);
  }

  private _signedOut() {
    this._signedIn(null);
    navigate('/login');
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
      <cs-app-header
        .route=${this._route}
        @locale-change=${(e: CustomEvent<UiLocale>) => this._changeLocale(e.detail)}
        @signed-out=${this._signedOut}
      ></cs-app-header>
      ${this._online ? nothing : html`<div class="offline" role="status">${msg('offlineBanner')}</div>`}
      <main id="main" tabindex="-1">${this._page(this._session)}</main>
    `;
  }

  /** The skip link moves focus into the page itself (the router must not treat it as a navigation). */
  private _skipToMain(e: Event) {
    e.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  private _page(session: SessionInfo) {
    const route = this._route;
    if (route.kind === 'login') return html`<p class="muted">${msg('loading')}</p>`;
    if (route.kind === 'not-found') return html`<h1>${msg('notFound')}</h1>`;
    const role = session.user.role;
    if (!pageAllows(route.page, role))
      return html`<section class="card" data-page="role-restricted">
        <h1>${msg('pageNotForRole')}</h1>
        <p>${msg('pageNotForRoleText', { role: msg(`role_${role}`) })}</p>
        <p><a href="/items">${msg('backToItems')}</a></p>
      </section>`;
    return route.page.render(route);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-app': CsApp;
  }
}
