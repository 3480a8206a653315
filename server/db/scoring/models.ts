import type { Model } from '../../../schema/scoring.ts';
import type { Db } from '../connection.ts';

/** A models row as both engines read it (PostgreSQL: sovereign as 0/1). */
export interface ModelRow {
  id: number;
  name: string;
  developer: string;
  country: string | null;
  sovereign: number;
  base_url: string | null;
  endpoint_model: string | null;
  api_key_env: string | null;
  api_key: string | null;
  created_at: string;
}

export const toModel = (r: ModelRow): Model => ({
  id: r.id,
  name: r.name,
  developer: r.developer,
  country: r.country,
  sovereign: r.sovereign === 1,
  baseUrl: r.base_url,
  endpointModel: r.endpoint_model,
  apiKeyEnv: r.api_key_env,
  hasApiKey: r.api_key !== null,
  createdAt: r.created_at,
});

export interface ModelFields {
  name: string;
  developer: string;
  country: string | null;
  sovereign: boolean;
  baseUrl: string | null;
  endpointModel: string | null;
  apiKeyEnv: string | null;
}

/** Models: who answers, and where a collection sends its requests. */
export function modelQueries(db: Db) {
  const modelById = db.prepare<[number], ModelRow>('SELECT * FROM models WHERE id = ?');
  const modelByName = db.prepare<[string], ModelRow>('SELECT * FROM models WHERE name = ?');

  return {
    insertModel: (m: ModelFields & { apiKey: string | null; createdBy: number; createdAt: string }): number =>
      Number(
        db
          .prepare(
            `INSERT INTO models (name, developer, country, sovereign, base_url, endpoint_model, api_key_env, api_key,
               created_by, created_at)
             VALUES (@name, @developer, @country, @sovereign, @baseUrl, @endpointModel, @apiKeyEnv, @apiKey,
               @createdBy, @createdAt)`,
          )
          .run({ ...m, sovereign: m.sovereign ? 1 : 0 }).lastInsertRowid,
      ),
    updateModel: (id: number, m: ModelFields & { apiKey: string | null }): void => {
      db.prepare(
        `UPDATE models SET name = @name, developer = @developer, country = @country, sovereign = @sovereign,
           base_url = @baseUrl, endpoint_model = @endpointModel, api_key_env = @apiKeyEnv, api_key = @apiKey
         WHERE id = @id`,
      ).run({ ...m, id, sovereign: m.sovereign ? 1 : 0 });
    },
    getModel: (id: number): Model | undefined => {
      const r = modelById.get(id);
      return r && toModel(r);
    },
    modelByName: (name: string): Model | undefined => {
      const r = modelByName.get(name);
      return r && toModel(r);
    },
    /** The stored key (write-only: for the collection client, never for an answer). */
    storedApiKey: (id: number): string | null => modelById.get(id)?.api_key ?? null,
    listModels: (): Model[] =>
      db.prepare<[], ModelRow>('SELECT * FROM models ORDER BY name COLLATE NOCASE').all().map(toModel),
  };
}
