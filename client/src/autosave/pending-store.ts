import type { Item, ItemFields } from '../../../schema/item.ts';

/** Changes typed but not yet confirmed by the server, on top of `baseVersion`. */
export interface PendingRecord {
  baseVersion: number;
  changes: Partial<ItemFields>;
  /** What the last PATCH carried; if its answer was lost we can tell afterwards whether it landed. */
  sent?: Partial<ItemFields>;
  at: string;
}

/**
 * localStorage persistence for the autosaver, per user and item: the pending changes and the last
 * item copy the server returned (so the editor can open offline). Writes are synchronous, so a
 * keystroke is on disk before the event handler returns.
 */
export class PendingStore {
  /** False once a write failed (quota, private mode); the editor warns. */
  healthy = true;

  constructor(
    private readonly userId: number,
    private readonly itemId: number,
  ) {}

  private key(kind: 'pending' | 'item') {
    return `cs.${kind}.${this.userId}.${this.itemId}`;
  }

  private read<T>(kind: 'pending' | 'item'): T | null {
    try {
      const raw = localStorage.getItem(this.key(kind));
      return raw ? (JSON.parse(raw) as T) : null;
    } catch {
      return null;
    }
  }

  private write(kind: 'pending' | 'item', value: unknown) {
    try {
      if (value === null) localStorage.removeItem(this.key(kind));
      else localStorage.setItem(this.key(kind), JSON.stringify(value));
      this.healthy = true;
    } catch {
      this.healthy = false;
    }
  }

  readPending = () => this.read<PendingRecord>('pending');
  writePending = (record: PendingRecord | null) => this.write('pending', record);
  readItem = () => this.read<Item>('item');
  writeItem = (item: Item) => this.write('item', item);
}
