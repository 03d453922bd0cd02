// Hash-based routing: the page's address (and the browser host's ?token=) never changes, only
// the fragment. Links are plain <a href="#/…">, so they work with keyboard, middle-click and back.
import { readonly, ref } from 'vue';

export type Route =
  | { name: 'home' }
  | { name: 'wizard'; accountId: string | null }
  | { name: 'sync'; syncId: string }
  | { name: 'run'; runId: number }
  | { name: 'lists' }
  | { name: 'list'; listId: string }
  | { name: 'accounts' }
  | { name: 'connect' }
  | { name: 'settings' }
  | { name: 'review'; syncId: string | null }
  | { name: 'not-found'; path: string };

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The route of a location hash such as "#/syncs/abc" (query after "?" inside the hash). */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const parts = pathPart.split('/').filter((p) => p !== '').map(decode);
  const query = new URLSearchParams(queryPart);
  const [a, b] = parts;
  if (parts.length === 0) return { name: 'home' };
  if (a === 'syncs' && b === 'new' && parts.length === 2) return { name: 'wizard', accountId: query.get('account') };
  if (a === 'syncs' && b && parts.length === 2) return { name: 'sync', syncId: b };
  if (a === 'runs' && b && parts.length === 2 && /^\d+$/.test(b)) return { name: 'run', runId: Number(b) };
  if (a === 'lists' && parts.length === 1) return { name: 'lists' };
  if (a === 'lists' && b && parts.length === 2) return { name: 'list', listId: b };
  if (a === 'accounts' && parts.length === 1) return { name: 'accounts' };
  if (a === 'accounts' && b === 'connect' && parts.length === 2) return { name: 'connect' };
  if (a === 'settings' && parts.length === 1) return { name: 'settings' };
  if (a === 'review' && parts.length === 1) return { name: 'review', syncId: query.get('sync') || null };
  return { name: 'not-found', path: `/${parts.join('/')}` };
}

/** Builders for in-app addresses (use with href or navigate). */
export const paths = {
  home: () => '/',
  wizard: (accountId?: string) => (accountId ? `/syncs/new?account=${encodeURIComponent(accountId)}` : '/syncs/new'),
  sync: (syncId: string) => `/syncs/${encodeURIComponent(syncId)}`,
  run: (runId: number) => `/runs/${runId}`,
  lists: () => '/lists',
  list: (listId: string) => `/lists/${encodeURIComponent(listId)}`,
  accounts: () => '/accounts',
  connect: () => '/accounts/connect',
  settings: () => '/settings',
  review: (syncId?: string | null) => (syncId ? `/review?sync=${encodeURIComponent(syncId)}` : '/review'),
};

export function href(path: string): string {
  return `#${path}`;
}

const current = ref<Route>(typeof location === 'undefined' ? { name: 'home' } : parseHash(location.hash));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    current.value = parseHash(location.hash);
  });
}

export function useRoute() {
  return readonly(current);
}

export function navigate(path: string): void {
  if (location.hash === `#${path}`) {
    current.value = parseHash(location.hash);
    return;
  }
  location.hash = path;
}

/** Which top-level section a route belongs to (for the navigation's aria-current). */
export type Section = 'home' | 'review' | 'lists' | 'accounts' | 'settings';

export function sectionOf(route: Route): Section | null {
  switch (route.name) {
    case 'home': case 'wizard': case 'sync': case 'run': return 'home';
    case 'lists': case 'list': return 'lists';
    case 'accounts': case 'connect': return 'accounts';
    case 'settings': return 'settings';
    case 'review': return 'review';
    default: return null;
  }
}
