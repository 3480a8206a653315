import type { AsyncRepository } from '../../async-repository.ts';
import { type ModelFields, type modelQueries, type ModelRow, toModel } from '../../scoring/models.ts';
import type { PgDatabase } from '../database.ts';
import { withoutValues } from './errors.ts';

// SQLite's row and mapper (server/db/scoring/models.ts): sovereign selected as 0/1.
const MODEL_COLUMNS = `id, name, developer, country, sovereign::int AS sovereign, base_url, endpoint_model, api_key_env,
  api_key, created_at`;

/** A model's fields as $1–$8 of its INSERT and UPDATE. */
const fieldParams = (m: ModelFields & { apiKey: string | null }) => [
  m.name,
  m.developer,
  m.country,
  m.sovereign,
  m.baseUrl,
  m.endpointModel,
  m.apiKeyEnv,
  m.apiKey,
];

// SQLite's NOCASE folds A–Z only; so does lower() under the "C" collation (and the unique index is on it).
const NAME_KEY = 'lower(name COLLATE "C")';

/** Models: who answers, and where a collection sends its requests (the key stored as given, never logged). */
export function pgModelQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof modelQueries>> {
  const one = async (where: string, value: unknown) =>
    (await db.query<ModelRow>(`SELECT ${MODEL_COLUMNS} FROM models WHERE ${where}`, [value]))[0];

  return {
    insertModel: async (m: ModelFields & { apiKey: string | null; createdBy: number; createdAt: string }) => {
      const [row] = await withoutValues(
        db.query<{ id: number }>(
          `INSERT INTO models (name, developer, country, sovereign, base_url, endpoint_model, api_key_env, api_key,
             created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [...fieldParams(m), m.createdBy, m.createdAt],
        ),
      );
      return row.id;
    },
    updateModel: async (id: number, m: ModelFields & { apiKey: string | null }) => {
      await withoutValues(
        db.execute(
          `UPDATE models SET name = $1, developer = $2, country = $3, sovereign = $4, base_url = $5,
             endpoint_model = $6, api_key_env = $7, api_key = $8
           WHERE id = $9`,
          [...fieldParams(m), id],
        ),
      );
    },
    getModel: async (id: number) => {
      const r = await one('id = $1', id);
      return r && toModel(r);
    },
    modelByName: async (name: string) => {
      const r = await one(`${NAME_KEY} = lower($1::text COLLATE "C")`, name);
      return r && toModel(r);
    },
    /** The stored key (write-only: for the collection client, never for an answer). */
    storedApiKey: async (id: number) =>
      (await db.query<{ api_key: string | null }>('SELECT api_key FROM models WHERE id = $1', [id]))[0]
        ?.api_key ?? null,
    listModels: async () =>
      (await db.query<ModelRow>(`SELECT ${MODEL_COLUMNS} FROM models ORDER BY ${NAME_KEY}`)).map(toModel),
  };
}
