import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBackgroundCheckpoints, type BackgroundCheckpoints } from '../../server/db/checkpoints.ts';
import { openDatabase, type Db } from '../../server/db/connection.ts';
import { tempDir } from '../helpers/releases.ts';

describe('WAL checkpoints on their own thread', () => {
  let db: Db | null = null;
  let checkpoints: BackgroundCheckpoints | null = null;
  afterEach(async () => {
    await checkpoints?.stop();
    db?.close();
    checkpoints = db = null;
  });

  /** Commits about 8 MB (some 2,000 pages): far past the 1,000 pages at which a commit would checkpoint. */
  const writeALot = (d: Db) => {
    d.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    const insert = d.prepare('INSERT INTO filler (text) VALUES (?)');
    d.transaction(() => {
      for (let n = 0; n < 2000; n++) insert.run(`${n} `.padEnd(4000, 'x'));
    })();
  };

  it('when a commit takes the WAL past the limit, then the commit leaves it and the thread copies it into the database', async () => {
    const path = join(tempDir(), 'studio.sqlite');
    db = openDatabase(path);
    checkpoints = startBackgroundCheckpoints(db, 50);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(path).size;
    writeALot(db);
    // The commit itself wrote only the WAL; the checkpointer then copies those pages into the file.
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 7_000_000), {
      timeout: 10_000,
      interval: 20,
    });
    expect(db.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 2000 });
  });

  it('when the connection checkpoints by itself (the default), then the same commit fills the file at once', () => {
    // The contrast with the test above: without the thread, the commit pays for the copy.
    const path = join(tempDir(), 'studio.sqlite');
    db = openDatabase(path);
    const before = statSync(path).size;
    writeALot(db);
    expect(statSync(path).size).toBeGreaterThan(before + 7_000_000);
  });

  it('leaves an in-memory database alone: it has no WAL', () => {
    db = openDatabase(':memory:');
    expect(startBackgroundCheckpoints(db)).toBeNull();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
