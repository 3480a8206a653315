import type { UiLocale } from '../../../schema/common.ts';
import type { ChangePasswordInput, SessionInfo, User } from '../../../schema/user.ts';
import { ApiError, NetworkError, get, patch, post, setCsrfToken } from './api.ts';

const KEY = 'cs.session';

/** The last session seen, kept so the app can open offline (service worker) and still save later. */
function remember(info: SessionInfo | null): void {
  try {
    if (info) localStorage.setItem(KEY, JSON.stringify(info));
    else localStorage.removeItem(KEY);
  } catch {
    // storage unavailable: the app still works online
  }
}

function remembered(): SessionInfo | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as SessionInfo) : null;
  } catch {
    return null;
  }
}

export interface LoadedSession {
  session: SessionInfo | null;
  /** True when the server was unreachable and the remembered session is used. */
  offline: boolean;
}

/** The current session: from the server, or the remembered one when the server cannot be reached. */
export async function loadSession(): Promise<LoadedSession> {
  try {
    const { session } = await get<{ session: SessionInfo | null }>('/api/auth/state');
    setCsrfToken(session?.csrfToken ?? null);
    remember(session);
    return { session, offline: false };
  } catch (err) {
    if (err instanceof NetworkError) {
      const session = remembered();
      setCsrfToken(session?.csrfToken ?? null);
      return { session, offline: true };
    }
    if (err instanceof ApiError && err.status === 401) {
      remember(null);
      return { session: null, offline: false };
    }
    throw err;
  }
}

export async function login(username: string, password: string): Promise<SessionInfo> {
  const session = await post<SessionInfo>('/api/auth/login', { username, password });
  setCsrfToken(session.csrfToken);
  remember(session);
  return session;
}

export async function logout(): Promise<void> {
  try {
    await post<void>('/api/auth/logout');
  } finally {
    setCsrfToken(null);
    remember(null);
  }
}

/** Saves the caller's interface language on their account, so it follows them to other devices. */
export async function saveUiLocale(uiLocale: UiLocale): Promise<User> {
  const user = await patch<User>('/api/me', { uiLocale });
  const info = remembered();
  if (info) remember({ ...info, user });
  return user;
}

/** Changes the caller's own password: this session stays signed in, their other sessions end. */
export const changePassword = (input: ChangePasswordInput) => post<void>('/api/me/password', input);
