import type { Role } from '../../schema/common.ts';
import type { Page, PageArgs } from './routes.ts';

/**
 * A tiny history router over a table of pages (client/src/routes.ts): paths map to pages; links with a same-origin
 * href navigate in place.
 */
export type Route =
  | ({ kind: 'page'; page: Page } & PageArgs)
  /** The sign-in page, outside the signed-in shell. */
  | { kind: 'login' }
  | { kind: 'not-found' };

const NAVIGATE = 'cs-navigate';

/** The `:name` parameters of `path` under `pattern`, or null when it does not match. */
function matchPath(pattern: string, path: string): Record<string, number> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, number> = {};
  for (const [i, w] of want.entries()) {
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (!/^[1-9]\d*$/.test(g)) return null;
      params[w.slice(1)] = Number(g);
    } else if (w !== g) return null;
  }
  return params;
}

/** The page of `table` the location shows (the first entry whose path matches). */
export function parseRoute(
  table: readonly Page[],
  loc: Pick<Location, 'pathname' | 'search'> = location,
): Route {
  const path = loc.pathname.replace(/\/+$/, '') || '/';
  if (path === '/login') return { kind: 'login' };
  for (const page of table) {
    for (const pattern of page.paths) {
      const params = matchPath(pattern, path);
      if (params) return { kind: 'page', page, params, query: new URLSearchParams(loc.search) };
    }
  }
  return { kind: 'not-found' };
}

/** Whether `role` may open `page`. */
export const pageAllows = (page: Page, role: Role): boolean => !page.roles || page.roles.includes(role);

export interface NavLink {
  readonly page: Page;
  readonly href: string;
  /** This page, or a page under it (`navUnder`), is open. */
  readonly current: boolean;
}

/** The links `role` sees in one place of the navigation, in table order; `route` marks the current one. */
export function navLinks(
  table: readonly Page[],
  role: Role,
  place: 'main' | 'account',
  route: Route,
): NavLink[] {
  const open = route.kind === 'page' ? route.page : null;
  return table
    .filter(
      (p) => p.nav && (p.nav.place ?? 'main') === place && (p.nav.roles ?? p.roles ?? [role]).includes(role),
    )
    .map((page) => ({
      page,
      href: page.paths[0] ?? '/',
      current: open !== null && (open.name === page.name || open.navUnder === page.name),
    }));
}

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATE));
}

/** Calls `fn` on every route change (links, back/forward); returns the unsubscribe function. */
export function onRouteChange(fn: () => void): () => void {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
    if (a.pathname.startsWith('/api/')) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  };
  window.addEventListener('click', onClick);
  window.addEventListener('popstate', fn);
  window.addEventListener(NAVIGATE, fn);
  return () => {
    window.removeEventListener('click', onClick);
    window.removeEventListener('popstate', fn);
    window.removeEventListener(NAVIGATE, fn);
  };
}
