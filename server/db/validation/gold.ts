import type { GoldItem, Verdict } from '../../../schema/validation.ts';
import type { Db } from '../connection.ts';

/** Round number of gold checks: they sit outside an item's own validation rounds. */
export const GOLD_ROUND = 0;

/** A gold item's row with its item's uid, language and question (both engines). */
export interface GoldRow {
  item_id: number;
  uid: string;
  language: string;
  question: string;
  grounded: Verdict;
  correct: Verdict;
  created_at: string;
}

export const toGoldItem = (r: GoldRow): GoldItem => ({
  itemId: r.item_id,
  uid: r.uid,
  language: r.language,
  question: r.question,
  grounded: r.grounded,
  correct: r.correct,
  createdAt: r.created_at,
});

/** Gold items (known verdicts that check validators) and a validator's record against them. */
export function goldQueries(db: Db) {
  const upsertGold = db.prepare(
    `INSERT INTO gold_items (item_id, grounded, correct, created_by, created_at)
     VALUES (@itemId, @grounded, @correct, @createdBy, @createdAt)
     ON CONFLICT (item_id) DO UPDATE SET grounded = excluded.grounded, correct = excluded.correct`,
  );
  const deleteGold = db.prepare<[number]>('DELETE FROM gold_items WHERE item_id = ?');
  const goldOf = db.prepare<[number], { grounded: Verdict; correct: Verdict }>(
    'SELECT grounded, correct FROM gold_items WHERE item_id = ?',
  );
  const goldList = db.prepare<[number], GoldRow>(
    `SELECT g.item_id, i.uid, i.language, i.question, g.grounded, g.correct, g.created_at
     FROM gold_items g JOIN items i ON i.id = g.item_id WHERE i.dataset_id = ? ORDER BY g.item_id`,
  );
  const myStats = db.prepare<[number], { validations: number; gold: number; gold_correct: number }>(
    `SELECT count(*) FILTER (WHERE v.gold = 0) AS validations, count(*) FILTER (WHERE v.gold = 1) AS gold,
       count(*) FILTER (WHERE v.gold = 1 AND v.grounded = g.grounded AND v.correct = g.correct) AS gold_correct
     FROM validations v LEFT JOIN gold_items g ON g.item_id = v.item_id
     WHERE v.validator_id = ? AND v.status = 'submitted'`,
  );

  return {
    setGold: (g: {
      itemId: number;
      grounded: Verdict;
      correct: Verdict;
      createdBy: number;
      createdAt: string;
    }) => void upsertGold.run(g),
    removeGold: (itemId: number): boolean => deleteGold.run(itemId).changes === 1,
    gold: (itemId: number) => goldOf.get(itemId),
    listGold: (datasetId: number): GoldItem[] => goldList.all(datasetId).map(toGoldItem),
    myStats: (userId: number) => myStats.get(userId)!,
  };
}
