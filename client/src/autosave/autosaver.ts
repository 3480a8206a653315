import {
  itemFieldNames,
  itemFieldsSchema,
  type Item,
  type ItemFieldName,
  type ItemFields,
  type UpdateItemInput,
} from '../../../schema/item.ts';
import { ApiError, errorText, NetworkError, type RequestOptions } from '../data/api.ts';
import { PendingStore, type PendingRecord } from './pending-store.ts';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'offline' | 'conflict' | 'invalid' | 'error';

export interface Conflict {
  current: Item;
  yours: Partial<ItemFields>;
}

export interface AutosaverOptions {
  userId: number;
  itemId: number;
  patch: (id: number, body: UpdateItemInput, options?: RequestOptions) => Promise<Item>;
  debounceMs?: number;
}

type Changes = Partial<ItemFields>;

/** The value as the server would store it (NFC text, upper-case country…), for comparisons. */
function canonical(field: ItemFieldName, value: unknown): unknown {
  const r = itemFieldsSchema.shape[field].safeParse(value);
  return r.success ? r.data : value;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return a.normalize('NFC') === b.normalize('NFC');
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    const bo = b as Record<string, unknown>;
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], bo[k]));
  }
  return false;
}

const sameAsServer = (field: ItemFieldName, value: unknown, item: Item) =>
  sameValue(canonical(field, value), item[field]);

const keys = (c: Changes) => Object.keys(c) as ItemFieldName[];

/**
 * Autosave that never loses a keystroke. Every edit lands in memory and localStorage at once; a
 * debounced PATCH carries `{ version, changes }`; the answer becomes the new base and clears only
 * the fields whose sent values have not changed since. Unreachable server → keep everything, retry
 * with backoff and on `online`. Stale version → conflict, resolved by the user.
 */
export class Autosaver {
  base: Item | null = null;
  /** The version our pending changes were made on (differs from base.version only after a stale load). */
  baseVersion = 0;
  pending: Changes = {};
  status: SaveStatus = 'saved';
  error: string | null = null;
  conflict: Conflict | null = null;
  /** Pending fields that fail validation: kept locally, not sent until fixed. */
  invalid: Partial<Record<ItemFieldName, string>> = {};
  readonly store: PendingStore;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;
  private inFlight: Promise<void> | null = null;
  private disposed = false;
  private readonly debounceMs: number;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: AutosaverOptions) {
    this.debounceMs = options.debounceMs ?? 600;
    this.store = new PendingStore(options.userId, options.itemId);
    window.addEventListener('online', this.onOnline);
    window.addEventListener('pagehide', this.onPageHide);
  }

  /** Subscribe to state changes; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed() {
    for (const fn of this.listeners) fn();
  }

  /** The item as the user sees it: the server's copy with pending changes on top. */
  get fields(): ItemFields | null {
    return this.base ? { ...this.base, ...this.pending } : null;
  }

  get hasPending(): boolean {
    return keys(this.pending).length > 0;
  }

  /** The last copy of the item this device saw (for opening offline). */
  cachedItem(): Item | null {
    return this.store.readItem();
  }

  /**
   * Starts from the server's item (or, offline, the cached copy): merges pending local changes
   * over it and flushes them.
   */
  start(item: Item, fromServer: boolean): void {
    this.base = item;
    this.baseVersion = item.version;
    if (fromServer) this.store.writeItem(item);
    const rec = this.store.readPending();
    if (rec) {
      let baseVersion = rec.baseVersion;
      // Our last PATCH (or pagehide flush) landed but its answer was lost: we are on top of it.
      if (
        fromServer &&
        rec.sent &&
        item.version === rec.baseVersion + 1 &&
        keys(rec.sent).every((k) => sameAsServer(k, rec.sent?.[k], item))
      ) {
        baseVersion = item.version;
      }
      const changes: Changes = {};
      for (const k of keys(rec.changes)) {
        if (!fromServer || !sameAsServer(k, rec.changes[k], item))
          Object.assign(changes, { [k]: rec.changes[k] });
      }
      this.pending = changes;
      this.baseVersion = this.hasPending ? baseVersion : item.version;
    }
    this.persist();
    if (!fromServer) {
      this.setStatus('offline');
      if (this.hasPending) this.scheduleRetry();
    } else if (this.hasPending) void this.flush();
    else this.setStatus('saved');
  }

  edit<K extends ItemFieldName>(field: K, value: ItemFields[K]): void {
    if (!this.base) return;
    if (sameValue(value, this.base[field]) && this.baseVersion === this.base.version) {
      delete this.pending[field];
    } else {
      this.pending = { ...this.pending, [field]: value };
    }
    this.persist();
    if (this.status !== 'conflict' && this.status !== 'offline')
      this.setStatus(this.hasPending ? 'pending' : 'saved');
    else this.changed();
    this.schedule(this.debounceMs);
  }

  /** Save now (Ctrl+S): resolves once the pending changes are saved or the attempt failed. */
  async saveNow(): Promise<boolean> {
    this.retries = 0;
    await this.flush();
    while (this.inFlight) await this.inFlight;
    if (
      this.sendable().send &&
      this.status !== 'conflict' &&
      this.status !== 'offline' &&
      this.status !== 'error'
    )
      await this.flush();
    return !this.hasPending && this.status === 'saved';
  }

  /** Keep my changes: re-apply them on the server's current version. */
  keepMine(): void {
    if (!this.conflict) return;
    this.base = this.conflict.current;
    this.baseVersion = this.base.version;
    this.conflict = null;
    this.store.writeItem(this.base);
    this.persist();
    this.setStatus('pending');
    void this.flush();
  }

  /** Take the server's version and drop my pending changes. */
  takeTheirs(): void {
    if (!this.conflict) return;
    this.replaceBase(this.conflict.current);
  }

  /** A new server copy after submit/restore: pending changes are dropped. */
  replaceBase(item: Item): void {
    this.base = item;
    this.baseVersion = item.version;
    this.pending = {};
    this.conflict = null;
    this.store.writeItem(item);
    this.persist();
    this.setStatus('saved');
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('pagehide', this.onPageHide);
    this.listeners.clear();
  }

  private setStatus(status: SaveStatus, error: string | null = null) {
    this.status = status;
    this.error = error;
    this.changed();
  }

  private persist(sent?: Changes) {
    const rec: PendingRecord | null =
      this.hasPending || sent
        ? { baseVersion: this.baseVersion, changes: this.pending, sent, at: new Date().toISOString() }
        : null;
    this.store.writePending(rec);
  }

  /** The pending fields that validate (sent) and the messages for those that don't (kept). */
  private sendable(): { send: Changes | null; invalid: Partial<Record<ItemFieldName, string>> } {
    const send: Changes = {};
    const invalid: Partial<Record<ItemFieldName, string>> = {};
    for (const k of keys(this.pending)) {
      const r = itemFieldsSchema.shape[k].safeParse(this.pending[k]);
      if (r.success) Object.assign(send, { [k]: this.pending[k] });
      else invalid[k] = r.error.issues[0]?.message ?? 'Invalid value';
    }
    return { send: keys(send).length ? send : null, invalid };
  }

  private schedule(ms: number) {
    clearTimeout(this.timer);
    if (!this.disposed) this.timer = setTimeout(() => void this.flush(), ms);
  }

  private readonly onOnline = () => {
    this.retries = 0;
    if (this.status === 'offline') void this.flush();
  };

  private scheduleRetry() {
    clearTimeout(this.retryTimer);
    const delay = Math.min(30_000, 1_000 * 2 ** this.retries++);
    if (!this.disposed) this.retryTimer = setTimeout(() => void this.flush(), delay);
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    if (this.disposed || !this.base || this.conflict) return;
    if (this.inFlight) return this.inFlight;
    const { send, invalid } = this.sendable();
    this.invalid = invalid;
    if (!send) {
      if (this.status !== 'offline' || !this.hasPending)
        this.setStatus(this.hasPending ? 'invalid' : 'saved');
      else this.changed();
      return;
    }
    if (navigator.onLine === false) {
      this.setStatus('offline');
      this.scheduleRetry();
      return;
    }
    this.persist(send);
    this.setStatus('saving');
    this.inFlight = this.send(send).finally(() => (this.inFlight = null));
    await this.inFlight;
    // Edits made while the request was out go right after it.
    if (this.status === 'pending' || (this.status === 'saved' && this.hasPending)) void this.flush();
  }

  private async send(sent: Changes): Promise<void> {
    try {
      const item = await this.options.patch(this.options.itemId, {
        version: this.baseVersion,
        changes: sent,
      });
      if (this.disposed) return;
      this.retries = 0;
      this.base = item;
      this.baseVersion = item.version;
      const rest: Changes = {};
      for (const k of keys(this.pending)) {
        if (!(k in sent) || !sameValue(this.pending[k], sent[k]))
          Object.assign(rest, { [k]: this.pending[k] });
      }
      this.pending = rest;
      this.store.writeItem(item);
      this.persist();
      const { send, invalid } = this.sendable();
      this.invalid = invalid;
      this.setStatus(send ? 'pending' : this.hasPending ? 'invalid' : 'saved');
    } catch (err) {
      this.persist();
      if (this.disposed) return;
      if (err instanceof NetworkError) {
        this.setStatus('offline');
        this.scheduleRetry();
      } else if (err instanceof ApiError && err.status === 409 && err.code === 'stale-version') {
        const current = (err.details as { current?: Item } | undefined)?.current;
        if (current) {
          this.conflict = { current, yours: { ...this.pending } };
          this.setStatus('conflict');
        } else this.setStatus('error', err.message);
      } else if (err instanceof ApiError && err.status >= 500) {
        this.setStatus('offline', err.message);
        this.scheduleRetry();
      } else {
        this.setStatus('error', errorText(err));
      }
    }
  }

  /** Closing the tab: everything is already in localStorage; also try to send it. */
  private readonly onPageHide = () => {
    if (this.disposed || this.inFlight || this.conflict || !this.base) return;
    const { send } = this.sendable();
    if (!send) return;
    this.persist(send);
    this.options
      .patch(this.options.itemId, { version: this.baseVersion, changes: send }, { keepalive: true })
      .catch(() => {});
  };
}

/** Field names in schema order, for stable display of diffs. */
export const orderedFields = (c: Partial<Record<ItemFieldName, unknown>>) =>
  itemFieldNames.filter((k) => k in c);
