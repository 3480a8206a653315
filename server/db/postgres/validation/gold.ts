import type { GoldItem, Verdict } from '../../../../schema/validation.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import { type GoldRow, type goldQueries, toGoldItem } from '../../validation/gold.ts';
import type { PgDatabase } from '../database.ts';

/** Gold items (known verdicts that check validators) and a validator's record against them (PostgreSQL). */
export function pgGoldQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof goldQueries>> {
  return {
    async setGold(g: {
      itemId: number;
      grounded: Verdict;
      correct: Verdict;
      createdBy: number;
      createdAt: string;
    }) {
      await db.execute(
        `INSERT INTO gold_items (item_id, grounded, correct, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (item_id) DO UPDATE SET grounded = excluded.grounded, correct = excluded.correct`,
        [g.itemId, g.grounded, g.correct, g.createdBy, g.createdAt],
      );
    },
    removeGold: async (itemId: number) =>
      (await db.execute('DELETE FROM gold_items WHERE item_id = $1', [itemId])) === 1,
    gold: async (itemId: number) =>
      (
        await db.query<{ grounded: Verdict; correct: Verdict }>(
          'SELECT grounded, correct FROM gold_items WHERE item_id = $1',
          [itemId],
        )
      )[0],
    async listGold(datasetId: number): Promise<GoldItem[]> {
      const rows = await db.query<GoldRow>(
        `SELECT g.item_id, i.uid, i.language, i.question, g.grounded, g.correct, g.created_at
         FROM gold_items g JOIN items i ON i.id = g.item_id WHERE i.dataset_id = $1 ORDER BY g.item_id`,
        [datasetId],
      );
      return rows.map(toGoldItem);
    },
    async myStats(userId: number) {
      const [r] = await db.query<{ validations: number; gold: number; gold_correct: number }>(
        `SELECT count(*) FILTER (WHERE NOT v.gold) AS validations, count(*) FILTER (WHERE v.gold) AS gold,
           count(*) FILTER (WHERE v.gold AND v.grounded = g.grounded AND v.correct = g.correct) AS gold_correct
         FROM validations v LEFT JOIN gold_items g ON g.item_id = v.item_id
         WHERE v.validator_id = $1 AND v.status = 'submitted'`,
        [userId],
      );
      return r;
    },
  };
}
