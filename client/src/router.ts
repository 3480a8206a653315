/** A tiny history router: paths map to routes; links with a same-origin href navigate in place. */
export type Route =
  | { name: 'login' }
  | { name: 'items'; query: URLSearchParams }
  | { name: 'new-item' }
  | { name: 'item'; id: number }
  | { name: 'users' }
  | { name: 'taxonomies' }
  | { name: 'tokens' }
  | { name: 'password' }
  | { name: 'import' }
  | { name: 'releases' }
  | { name: 'validate' }
  | { name: 'review-queue' }
  | { name: 'review-item'; id: number }
  | { name: 'agreement' }
  | { name: 'scoring' }
  | { name: 'rate' }
  | { name: 'report' }
  | { name: 'not-found' };

const NAVIGATE = 'cs-navigate';

export function parseRoute(loc: Pick<Location, 'pathname' | 'search'> = location): Route {
  const path = loc.pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/items') return { name: 'items', query: new URLSearchParams(loc.search) };
  if (path === '/login') return { name: 'login' };
  if (path === '/items/new') return { name: 'new-item' };
  const item = /^\/items\/(\d+)$/.exec(path);
  if (item) return { name: 'item', id: Number(item[1]) };
  if (path === '/admin/users') return { name: 'users' };
  if (path === '/admin/taxonomies') return { name: 'taxonomies' };
  if (path === '/account/tokens') return { name: 'tokens' };
  if (path === '/account/password') return { name: 'password' };
  if (path === '/admin/import') return { name: 'import' };
  if (path === '/releases') return { name: 'releases' };
  if (path === '/validate') return { name: 'validate' };
  if (path === '/review') return { name: 'review-queue' };
  const reviewItem = /^\/review\/(\d+)$/.exec(path);
  if (reviewItem) return { name: 'review-item', id: Number(reviewItem[1]) };
  if (path === '/agreement') return { name: 'agreement' };
  if (path === '/scoring') return { name: 'scoring' };
  if (path === '/scoring/report') return { name: 'report' };
  if (path === '/rate') return { name: 'rate' };
  return { name: 'not-found' };
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
