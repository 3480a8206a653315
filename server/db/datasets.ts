import type { CreateDatasetInput, Dataset, UpdateDatasetInput } from '../../schema/dataset.ts';
import type { Db } from './connection.ts';

/** A datasets row as both engines read it (PostgreSQL: auto_accept as 0/1). */
export interface DatasetRow {
  id: number;
  slug: string;
  name: string;
  description: string;
  validators_per_item: number;
  auto_accept: number;
  created_at: string;
}

export const toDataset = (r: DatasetRow): Dataset => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  validatorsPerItem: r.validators_per_item,
  autoAccept: r.auto_accept === 1,
  createdAt: r.created_at,
});

/** Datasets: the unit that owns items, settings, guidelines and releases. */
export function createDatasetRepository(db: Db) {
  const all = db.prepare<[], DatasetRow>('SELECT * FROM datasets ORDER BY name, id');
  const byId = db.prepare<[number], DatasetRow>('SELECT * FROM datasets WHERE id = ?');
  const bySlug = db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE slug = ?');
  const exists = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM datasets WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO datasets (slug, name, description, validators_per_item, auto_accept, created_at)
     VALUES (@slug, @name, @description, @validatorsPerItem, @autoAccept, @createdAt)`,
  );
  const update = db.prepare(
    `UPDATE datasets SET slug = @slug, name = @name, description = @description,
       validators_per_item = @validatorsPerItem, auto_accept = @autoAccept
     WHERE id = @id`,
  );

  return {
    list: (): Dataset[] => all.all().map(toDataset),
    get: (id: number): Dataset | undefined => {
      const r = byId.get(id);
      return r && toDataset(r);
    },
    getBySlug: (slug: string): Dataset | undefined => {
      const r = bySlug.get(slug);
      return r && toDataset(r);
    },
    exists: (id: number): boolean => exists.get(id) !== undefined,
    create: (d: CreateDatasetInput): Dataset => {
      const id = insert.run({
        ...d,
        autoAccept: d.autoAccept ? 1 : 0,
        createdAt: new Date().toISOString(),
      }).lastInsertRowid;
      return toDataset(byId.get(Number(id))!);
    },
    update: db.transaction((id: number, c: UpdateDatasetInput): Dataset | undefined => {
      const current = byId.get(id);
      if (!current) return undefined;
      const next = { ...toDataset(current), ...c };
      update.run({
        id,
        slug: next.slug,
        name: next.name,
        description: next.description,
        validatorsPerItem: next.validatorsPerItem,
        autoAccept: next.autoAccept ? 1 : 0,
      });
      return toDataset(byId.get(id)!);
    }),
  };
}
export type DatasetRepository = ReturnType<typeof createDatasetRepository>;
