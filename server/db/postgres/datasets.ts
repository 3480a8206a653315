import type { CreateDatasetInput, Dataset, UpdateDatasetInput } from '../../../schema/dataset.ts';
import type { AsyncRepository } from '../async-repository.ts';
import { type createDatasetRepository, type DatasetRow, toDataset } from '../datasets.ts';
import type { PgDatabase } from './database.ts';

// SQLite's row and mapper (server/db/datasets.ts): auto_accept selected as 0/1.
const COLUMNS =
  'id, slug, name, description, validators_per_item, auto_accept::int AS auto_accept, created_at';

/** Datasets on PostgreSQL: the unit that owns items, settings, guidelines and releases. */
export function createPgDatasetRepository(
  db: PgDatabase,
): AsyncRepository<ReturnType<typeof createDatasetRepository>> {
  const one = async (where: string, value: unknown) => {
    const [r] = await db.query<DatasetRow>(`SELECT ${COLUMNS} FROM datasets WHERE ${where} = $1`, [value]);
    return r && toDataset(r);
  };

  return {
    // Names compared bytewise, as SQLite compares text.
    list: async () =>
      (await db.query<DatasetRow>(`SELECT ${COLUMNS} FROM datasets ORDER BY name COLLATE "C", id`)).map(
        toDataset,
      ),
    get: (id) => one('id', id),
    getBySlug: (slug) => one('slug', slug),
    exists: async (id) => (await db.query('SELECT 1 FROM datasets WHERE id = $1', [id])).length > 0,
    create: async (d: CreateDatasetInput) => {
      const [r] = await db.query<DatasetRow>(
        `INSERT INTO datasets (slug, name, description, validators_per_item, auto_accept, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [d.slug, d.name, d.description, d.validatorsPerItem, d.autoAccept, new Date().toISOString()],
      );
      return toDataset(r);
    },
    /** Absent fields keep their value, in one statement (no read-then-write for another instance to slip into). */
    update: async (id: number, c: UpdateDatasetInput): Promise<Dataset | undefined> => {
      const [r] = await db.query<DatasetRow>(
        `UPDATE datasets SET slug = coalesce($2, slug), name = coalesce($3, name),
           description = coalesce($4, description), validators_per_item = coalesce($5, validators_per_item),
           auto_accept = coalesce($6, auto_accept)
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          c.slug ?? null,
          c.name ?? null,
          c.description ?? null,
          c.validatorsPerItem ?? null,
          c.autoAccept ?? null,
        ],
      );
      return r && toDataset(r);
    },
  };
}
