import type { AsyncRepository } from '../../async-repository.ts';
import {
  type NewResponse,
  type ResponseRow,
  type responseQueries,
  toScoredResponse,
} from '../../scoring/responses.ts';
import type { PgDatabase } from '../database.ts';

/** A run's responses, scored as they come in. */
export function pgResponseQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof responseQueries>> {
  return {
    /**
     * Inserts responses in one statement, in the order given; one that already exists for its item (or comes
     * again in `rows`) is kept as it is — the unique (run_id, uid) makes a collection resumed on any instance
     * write each answer once. Rows known to exist are left out before the insert so that they take no id (an
     * id is drawn for every row an INSERT tries): ids follow one another as on SQLite. Returns how many were new.
     */
    insertResponses: async (rows: readonly NewResponse[]) => {
      if (rows.length === 0) return 0;
      const column = <K extends keyof NewResponse>(k: K) => rows.map((r) => r[k]);
      return db.execute(
        `INSERT INTO responses (run_id, uid, language, kind, format, category, response, source, scoring,
           extracted, correct, created_at)
         SELECT run_id, uid, language, kind, format, category, response, source, scoring, extracted, correct,
           created_at
         FROM (SELECT DISTINCT ON (run_id, uid) *
               FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                 $8::text[], $9::text[], $10::text[], $11::boolean[], $12::timestamptz[]) WITH ORDINALITY
                 AS u (run_id, uid, language, kind, format, category, response, source, scoring, extracted, correct,
                   created_at, n)
               ORDER BY run_id, uid, n) u
         WHERE NOT EXISTS (SELECT 1 FROM responses x WHERE x.run_id = u.run_id AND x.uid = u.uid)
         ORDER BY n
         ON CONFLICT (run_id, uid) DO NOTHING`,
        [
          column('runId'),
          column('uid'),
          column('language'),
          column('kind'),
          column('format'),
          column('category'),
          column('response'),
          column('source'),
          column('scoring'),
          column('extracted'),
          column('correct'),
          column('createdAt'),
        ],
      );
    },
    answeredUids: async (runId: number) =>
      new Set(
        (await db.query<{ uid: string }>('SELECT uid FROM responses WHERE run_id = $1', [runId])).map(
          (r) => r.uid,
        ),
      ),
    itemUidExists: async (uid: string) =>
      (await db.query('SELECT 1 FROM items WHERE uid = $1', [uid])).length > 0,
    listResponses: async (runId: number, after: string, limit: number) =>
      (
        await db.query<ResponseRow>(
          `SELECT uid, language, kind, format, category, response, source, scoring, extracted,
             correct::int AS correct
           FROM responses WHERE run_id = $1 AND uid > $2 ORDER BY uid LIMIT $3`,
          [runId, after, limit],
        )
      ).map(toScoredResponse),
  };
}
