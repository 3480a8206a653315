import { beforeEach, describe, expect, it } from 'vitest';
import type { PgDatabase } from '../../../server/db/postgres/database.ts';
import { postgresEngine } from '../../helpers/postgres.ts';
import {
  newRun,
  postgresWithConnections,
  responseIds,
  responses,
  T0,
  T1,
  T2,
  together,
  world,
  type Engine,
  type ResponseSpec,
  type World,
} from './scoring-engines.ts';

// Several app instances on one database: transactions at once, each on its own connection. On a real server
// (CS_TEST_POSTGRES_URL) every transaction reads before any writes unless a lock or constraint holds it back;
// PGlite has one connection, so there they run one after another (the same outcome is expected).
describe(`scoring with several instances at once on ${postgresEngine}`, () => {
  let e: Engine;
  let db: PgDatabase;
  let w: World;
  let run: number;
  beforeEach(async () => {
    ({ engine: e, db } = await postgresWithConnections(12));
    w = await world(e);
    run = await newRun(e, w, w.model, w.release);
  });

  const answer = (uid: string): ResponseSpec => [uid, 'ko', 'food', 'culture', 'short_answer', 'auto', true];

  it('two instances storing the same answers at once keep one response per item and count each once', async () => {
    const batches = [
      ['u1', 'u2', 'u3'],
      ['u2', 'u3', 'u4'],
    ];
    const counts = await together(
      db,
      2,
      () => Promise.resolve(),
      (i) => responses(e, run, batches[i].map(answer)),
    );
    expect(counts[0] + counts[1]).toBe(4);
    expect(
      await e.rows('SELECT uid, count(*) AS n FROM responses WHERE run_id = ? GROUP BY uid ORDER BY uid', [
        run,
      ]),
    ).toEqual([
      { uid: 'u1', n: 1 },
      { uid: 'u2', n: 1 },
      { uid: 'u3', n: 1 },
      { uid: 'u4', n: 1 },
    ]);
  });

  it('two instances claiming one collection at once: one claims it', async () => {
    const claims = await together(
      db,
      2,
      () => Promise.resolve(),
      () => e.scoring.claimCollection(run, T1),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  describe('judge runs', () => {
    let judge: number;
    beforeEach(async () => {
      await responses(e, run, [['q1', 'ko', 'food', 'culture', 'open_ended', 'rating', null]]);
      judge = await e.scoring.insertJudge({
        name: 'J',
        modelId: w.otherModel,
        rubric: { language: 'en', criteria: null, templates: [] },
        temperature: 0,
        maxTokens: 512,
        createdBy: w.alice,
        createdAt: T0,
      });
    });

    it('two instances starting one judge run at once get the same run, and one of them claims it', async () => {
      const started = await together(
        db,
        2,
        () => Promise.resolve(),
        async () => {
          const id = await e.scoring.ensureJudgeRun({
            judgeId: judge,
            runId: run,
            createdBy: w.alice,
            createdAt: T0,
          });
          return { id, claimed: await e.scoring.claimJudgeRun(id, T1) };
        },
      );
      expect(started[0].id).toBe(started[1].id);
      expect(started.filter((s) => s.claimed)).toHaveLength(1);
      expect(await e.rows('SELECT count(*) AS n FROM judge_runs')).toEqual([{ n: 1 }]);
    });

    it('two instances sending the same response of a resumed judge run at once keep one judgment', async () => {
      const jr = await e.scoring.ensureJudgeRun({
        judgeId: judge,
        runId: run,
        createdBy: w.alice,
        createdAt: T0,
      });
      const { q1 } = await responseIds(e, run);
      await together(
        db,
        2,
        () => Promise.resolve(),
        (i) => e.scoring.markJudgmentSent({ judgeRunId: jr, responseId: q1, prompt: `from ${i}`, at: T1 }),
      );
      expect(await e.rows('SELECT judge_run_id, response_id, state FROM judgments')).toEqual([
        { judge_run_id: jr, response_id: q1, state: 'sent' },
      ]);
    });
  });

  describe('rating tasks', () => {
    let campaign: number;
    let raters: number[];
    beforeEach(async () => {
      await responses(e, run, [
        ['p1', 'ko', 'food', 'culture', 'open_ended', 'rating', null],
        ['p2', 'ko', 'food', 'culture', 'open_ended', 'rating', null],
        ['p3', 'ko', 'food', 'culture', 'open_ended', 'rating', null],
      ]);
      campaign = await e.scoring.insertCampaign({
        releaseId: w.release,
        name: 'K',
        ratersPerResponse: 2,
        leaseMinutes: 30,
        createdBy: w.alice,
        createdAt: T0,
      });
      raters = [w.alice, w.bob, w.carol];
      for (const name of ['dan', 'eve', 'fay', 'gus', 'hal']) {
        const [row] = await e.rows<{ id: number }>(
          `INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)
           VALUES (?, ?, 'annotator', 'x', ?, ?) RETURNING id`,
          [name, name, T0, T0],
        );
        raters.push(row.id);
      }
    });

    /** The domain's next-task transaction (server/domain/scoring/rating.ts `next`), split where it reads. */
    const nextTask = (rater: number) => {
      let held: number | undefined;
      return {
        read: async () => {
          await e.scoring.reclaimRatingLeases(T0);
          held = await e.scoring.heldRatingTask(campaign, rater, T0);
        },
        write: async () => {
          if (held !== undefined) return held;
          const responseId = await e.scoring.nextResponseToRate(campaign, w.release, rater, null, 2);
          if (responseId === undefined) return null;
          return e.scoring.insertRatingTask({
            campaignId: campaign,
            responseId,
            raterId: rater,
            leasedAt: T0,
            expiresAt: T2,
          });
        },
      };
    };

    it('eight raters asking at once fill each response with exactly its two raters, one task each', async () => {
      const asks = raters.map(nextTask);
      const tasks = await together(
        db,
        asks.length,
        (i) => asks[i].read(),
        (i) => asks[i].write(),
      );
      expect(tasks.filter((t) => t === null)).toHaveLength(2);
      const perResponse = await e.rows<{ uid: string; raters: number; distinct_raters: number }>(
        `SELECT x.uid, count(g.id) AS raters, count(DISTINCT g.rater_id) AS distinct_raters
         FROM responses x LEFT JOIN ratings g ON g.response_id = x.id WHERE x.run_id = ? GROUP BY x.uid ORDER BY x.uid`,
        [run],
      );
      expect(perResponse).toEqual([
        { uid: 'p1', raters: 2, distinct_raters: 2 },
        { uid: 'p2', raters: 2, distinct_raters: 2 },
        { uid: 'p3', raters: 2, distinct_raters: 2 },
      ]);
      expect(await e.rows('SELECT count(DISTINCT rater_id) AS n FROM ratings')).toEqual([{ n: 6 }]);
    });

    it('eight raters choosing at once without reading a held task first still never overfill a response', async () => {
      const tasks = await together(
        db,
        raters.length,
        () => Promise.resolve(),
        async (i) => {
          const responseId = await e.scoring.nextResponseToRate(campaign, w.release, raters[i], null, 2);
          if (responseId === undefined) return null;
          return e.scoring.insertRatingTask({
            campaignId: campaign,
            responseId,
            raterId: raters[i],
            leasedAt: T0,
            expiresAt: T2,
          });
        },
      );
      expect(tasks.filter((t) => t === null)).toHaveLength(2);
      expect(
        await e.rows(
          'SELECT response_id, count(*) AS n FROM ratings GROUP BY response_id HAVING count(*) <> 2',
        ),
      ).toEqual([]);
    });

    it('one rater asking twice at once through two instances gets one task, the same both times', async () => {
      const asks = [nextTask(w.bob), nextTask(w.bob)];
      const tasks = await together(
        db,
        2,
        (i) => asks[i].read(),
        (i) => asks[i].write(),
      );
      expect(tasks[0]).not.toBeNull();
      expect(tasks[1]).toBe(tasks[0]);
      expect(await e.rows('SELECT count(*) AS n FROM ratings')).toEqual([{ n: 1 }]);
    });
  });
});
