import type { ScoredResponse } from '../../../schema/scoring.ts';
import type { Db } from '../connection.ts';

export interface NewResponse {
  runId: number;
  uid: string;
  language: string;
  kind: string;
  format: string;
  category: string;
  response: string;
  source: 'import' | 'endpoint';
  scoring: 'auto' | 'rating';
  extracted: string | null;
  correct: boolean | null;
  createdAt: string;
}

/** A responses row as both engines read it (PostgreSQL: correct as 0/1). */
export interface ResponseRow {
  uid: string;
  language: string;
  kind: ScoredResponse['kind'];
  format: ScoredResponse['format'];
  category: string;
  response: string;
  source: ScoredResponse['source'];
  scoring: ScoredResponse['scoring'];
  extracted: string | null;
  correct: number | null;
}

export const toScoredResponse = (r: ResponseRow): ScoredResponse => ({
  id: r.uid,
  language: r.language,
  kind: r.kind,
  format: r.format,
  category: r.category,
  response: r.response,
  source: r.source,
  scoring: r.scoring,
  extracted: r.extracted,
  correct: r.correct === null ? null : r.correct === 1,
});

/** A run's responses, scored as they come in. */
export function responseQueries(db: Db) {
  const insertResponse = db.prepare(
    `INSERT INTO responses (run_id, uid, language, kind, format, category, response, source, scoring, extracted,
       correct, created_at)
     VALUES (@runId, @uid, @language, @kind, @format, @category, @response, @source, @scoring, @extracted,
       @correct, @createdAt)
     ON CONFLICT (run_id, uid) DO NOTHING`,
  );
  const answeredUids = db.prepare<[number], string>('SELECT uid FROM responses WHERE run_id = ?').pluck();
  const uidExists = db.prepare<[string], number>('SELECT 1 FROM items WHERE uid = ?').pluck();

  return {
    /** Inserts responses; one that already exists for its item is kept (returns how many were new). */
    insertResponses: (rows: readonly NewResponse[]): number => {
      let n = 0;
      for (const r of rows)
        n += insertResponse.run({ ...r, correct: r.correct === null ? null : Number(r.correct) }).changes;
      return n;
    },
    answeredUids: (runId: number): Set<string> => new Set(answeredUids.all(runId)),
    itemUidExists: (uid: string): boolean => uidExists.get(uid) !== undefined,
    listResponses: (runId: number, after: string, limit: number): ScoredResponse[] =>
      db
        .prepare<[number, string, number], ResponseRow>(
          `SELECT uid, language, kind, format, category, response, source, scoring, extracted, correct
           FROM responses WHERE run_id = ? AND uid > ? ORDER BY uid LIMIT ?`,
        )
        .all(runId, after, limit)
        .map(toScoredResponse),
  };
}
