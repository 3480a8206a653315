import { describe, expect, it } from 'vitest';
import {
  addHiddenImport,
  addItem,
  at,
  acceptingForm,
  engines,
  task,
  validationWorld,
} from './validation-engines.ts';

/**
 * The validation repository's contract on both engines: the same calls give the same hand-written results on
 * SQLite and on PostgreSQL (PGlite, or the server named by CS_TEST_POSTGRES_URL).
 */

describe.each(engines)('validation repository on $engine', ({ open }) => {
  it('gives default settings until a dataset has its own, and keeps the last saved', async () => {
    const e = await open();
    await validationWorld(e);
    expect(await e.validations.settings(1)).toEqual({ datasetId: 1, goldRate: 0.1, leaseMinutes: 30 });
    await e.validations.saveSettings({ datasetId: 1, goldRate: 0.25, leaseMinutes: 45 });
    await e.validations.saveSettings({ datasetId: 1, goldRate: 0, leaseMinutes: 1440 });
    expect(await e.validations.settings(1)).toEqual({ datasetId: 1, goldRate: 0, leaseMinutes: 1440 });
    expect(await e.validations.settings(2)).toEqual({ datasetId: 2, goldRate: 0.1, leaseMinutes: 30 });
    await expect(
      e.validations.saveSettings({ datasetId: 2, goldRate: 1.5, leaseMinutes: 30 }),
    ).rejects.toThrow();
    expect(await e.validations.settings(2)).toEqual({ datasetId: 2, goldRate: 0.1, leaseMinutes: 30 });
  });

  it('sets, replaces, lists and removes gold items', async () => {
    const e = await open();
    await validationWorld(e);
    await addItem(e, { id: 11, status: 'accepted' });
    await addItem(e, { id: 10, status: 'accepted', language: 'en', question: 'Which river?' });
    await e.validations.setGold({
      itemId: 11,
      grounded: 'yes',
      correct: 'no',
      createdBy: 5,
      createdAt: at(1),
    });
    await e.validations.setGold({
      itemId: 10,
      grounded: 'no',
      correct: 'no',
      createdBy: 5,
      createdAt: at(2),
    });
    await e.validations.setGold({
      itemId: 10,
      grounded: 'unsure',
      correct: 'yes',
      createdBy: 5,
      createdAt: at(3),
    });
    expect(await e.validations.gold(10)).toEqual({ grounded: 'unsure', correct: 'yes' });
    expect(await e.validations.listGold(1)).toEqual([
      {
        itemId: 10,
        uid: 'uid-10',
        language: 'en',
        question: 'Which river?',
        grounded: 'unsure',
        correct: 'yes',
        createdAt: '2026-03-01T10:02:00.000Z',
      },
      {
        itemId: 11,
        uid: 'uid-11',
        language: 'ko',
        question: 'Question 11',
        grounded: 'yes',
        correct: 'no',
        createdAt: '2026-03-01T10:01:00.000Z',
      },
    ]);
    expect(await e.validations.listGold(2)).toEqual([]);
    expect(await e.validations.removeGold(10)).toBe(true);
    expect(await e.validations.removeGold(10)).toBe(false);
    expect(await e.validations.gold(10)).toBeUndefined();
  });

  it('leases a task, takes the own answer once, submits it once, and gives back only what is leased', async () => {
    const e = await open();
    await validationWorld(e);
    await addItem(e, { id: 10 });
    const id = await e.validations.insertTask(task({ itemId: 10, validatorId: 2 }));
    const leased = {
      id,
      itemId: 10,
      round: 1,
      validatorId: 2,
      gold: false,
      itemVersion: 1,
      status: 'leased',
      leasedAt: '2026-03-01T11:40:00.000Z',
      expiresAt: '2026-03-01T12:10:00.000Z',
      ownAnswer: null,
      ownAnswerMatches: null,
    };
    expect(await e.validations.getTask(id)).toEqual(leased);
    expect(await e.validations.heldTask(2, at(110))).toEqual(leased);
    expect(await e.validations.heldTask(2, at(110), 1)).toEqual(leased);
    expect(await e.validations.heldTask(2, at(110), 2)).toBeUndefined();
    expect(await e.validations.heldTask(2, at(130))).toBeUndefined();
    expect(await e.validations.heldTask(3, at(110))).toBeUndefined();

    expect(await e.validations.setOwnAnswer(id, { variants: ['송편', 'songpyeon'] }, true, at(105))).toBe(
      true,
    );
    expect(await e.validations.getTask(id)).toMatchObject({
      ownAnswer: { variants: ['송편', 'songpyeon'] },
      ownAnswerMatches: true,
    });
    const input = {
      ...acceptingForm,
      correct: 'no',
      category: 'other',
      categoryPath: 'food/rice',
      quality: 4,
      comment: 'x',
    } as const;
    expect(await e.validations.submit(id, input, '2026-03-01T11:41:30.250Z')).toBe(true);
    expect(await e.validations.submit(id, acceptingForm, at(120))).toBe(false);
    expect(await e.validations.setOwnAnswer(id, { value: true }, null, at(120))).toBe(false);
    expect(await e.validations.giveBackTask(id)).toBe(false);
    expect(await e.validations.getTask(id)).toMatchObject({ status: 'submitted', ownAnswerMatches: true });
    // Milliseconds from lease to submit.
    expect(await e.rows('SELECT duration_ms FROM validations WHERE id = ?', [id])).toEqual([
      { duration_ms: 90250 },
    ]);

    const other = await e.validations.insertTask(task({ itemId: 10, validatorId: 3 }));
    expect(await e.validations.setOwnAnswer(other, { choice: 2 }, null, at(101))).toBe(true);
    expect(await e.validations.getTask(other)).toMatchObject({
      ownAnswer: { choice: 2 },
      ownAnswerMatches: null,
    });
    expect(await e.validations.giveBackTask(other)).toBe(true);
    expect(await e.validations.getTask(other)).toBeUndefined();
  });

  it('counts held gold tasks and reclaims leases whose time is up, leaving submitted ones', async () => {
    const e = await open();
    await validationWorld(e);
    await addItem(e, { id: 10 });
    await addItem(e, { id: 11, status: 'accepted' });
    const gold = await e.validations.insertTask(task({ itemId: 11, validatorId: 3, round: 0, gold: true }));
    const done = await e.validations.insertTask(task({ itemId: 10, validatorId: 2, expiresAt: at(101) }));
    await e.validations.submit(done, acceptingForm, at(100.5));
    expect(await e.validations.getTask(gold)).toMatchObject({ gold: true, round: 0 });
    expect(await e.validations.heldGoldTasks(3, at(110))).toBe(1);
    expect(await e.validations.heldGoldTasks(3, at(130))).toBe(0);
    expect(await e.validations.heldGoldTasks(2, at(110))).toBe(0);
    await e.validations.setLeaseExpiry(gold, at(105));
    expect(await e.validations.getTask(gold)).toMatchObject({ expiresAt: '2026-03-01T11:45:00.000Z' });
    expect(await e.validations.reclaimExpired(at(104))).toBe(0);
    expect(await e.validations.reclaimExpired(at(105))).toBe(1);
    expect(await e.validations.getTask(gold)).toBeUndefined();
    expect(await e.validations.getTask(done)).toMatchObject({ status: 'submitted' });
  });

  it('refuses a second task for the same validator, item and round, and a task on a missing item', async () => {
    const e = await open();
    await validationWorld(e);
    await addItem(e, { id: 10 });
    await e.validations.insertTask(task({ itemId: 10, validatorId: 2 }));
    const unique = e.name === 'sqlite' ? 'SQLITE_CONSTRAINT_UNIQUE' : '23505';
    const foreignKey = e.name === 'sqlite' ? 'SQLITE_CONSTRAINT_FOREIGNKEY' : '23503';
    await expect(e.validations.insertTask(task({ itemId: 10, validatorId: 2 }))).rejects.toMatchObject({
      code: unique,
    });
    await expect(e.validations.insertTask(task({ itemId: 999, validatorId: 2 }))).rejects.toMatchObject({
      code: foreignKey,
    });
    // Another round of the same item is another task.
    await e.validations.insertTask(task({ itemId: 10, validatorId: 2, round: 2 }));
    expect(await e.rows('SELECT item_id, round FROM validations ORDER BY round')).toEqual([
      { item_id: 10, round: 1 },
      { item_id: 10, round: 2 },
    ]);
  });

  it('offers the oldest item a validator may still take, in their language and dataset, never gold', async () => {
    const e = await open();
    await validationWorld(e);
    await addHiddenImport(e, 1, 1, 5);
    await addItem(e, { id: 12, status: 'in_validation' });
    await addItem(e, { id: 13, status: 'in_review' });
    await addItem(e, { id: 14, importId: 1 });
    await addItem(e, { id: 15, language: 'en' });
    await addItem(e, { id: 16, status: 'in_validation' });
    await addItem(e, { id: 17, status: 'in_validation' });
    await addItem(e, { id: 18 });
    await addItem(e, { id: 19, status: 'draft' });
    await addItem(e, { id: 20 });
    await addItem(e, { id: 21, author: 2 });
    await addItem(e, { id: 22, dataset: 2, status: 'in_validation' });
    await e.run('INSERT INTO item_validation (item_id, round) VALUES (12, 2)');
    await e.validations.setGold({
      itemId: 18,
      grounded: 'yes',
      correct: 'yes',
      createdBy: 5,
      createdAt: at(1),
    });
    await e.validations.insertTask(task({ itemId: 12, validatorId: 2, round: 1 }));
    await e.validations.insertTask(task({ itemId: 12, validatorId: 3, round: 2 }));
    await e.validations.insertTask(task({ itemId: 16, validatorId: 2 }));
    await e.validations.insertTask(task({ itemId: 17, validatorId: 3 }));
    await e.validations.insertTask(task({ itemId: 17, validatorId: 4 }));

    expect(await e.validations.roundOf(12)).toBe(2);
    expect(await e.validations.roundOf(20)).toBe(1);
    expect(await e.validations.nextCandidate(2, 'ko')).toEqual({ itemId: 12, datasetId: 1, round: 2 });
    expect(await e.validations.nextCandidate(2, 'ko', 2)).toEqual({ itemId: 22, datasetId: 2, round: 1 });
    expect(await e.validations.nextCandidate(2, 'en')).toEqual({ itemId: 15, datasetId: 1, round: 1 });
    expect(await e.validations.nextCandidate(3, 'ko')).toEqual({ itemId: 16, datasetId: 1, round: 1 });
    expect(await e.validations.nextCandidate(1, 'ko')).toEqual({ itemId: 21, datasetId: 1, round: 1 });
    expect(await e.validations.nextCandidate(2, 'ar')).toBeUndefined();
    await e.validations.insertTask(task({ itemId: 12, validatorId: 2, round: 2 }));
    expect(await e.validations.nextCandidate(2, 'ko')).toEqual({ itemId: 20, datasetId: 1, round: 1 });

    expect(await e.validations.goldCandidate(2, ['en', 'ko'])).toEqual({ itemId: 18, datasetId: 1 });
    expect(await e.validations.goldCandidate(2, ['en'])).toBeUndefined();
    expect(await e.validations.goldCandidate(2, ['ko'], 2)).toBeUndefined();
    expect(await e.validations.goldCandidate(1, ['ko'])).toBeUndefined();
    await e.validations.insertTask(task({ itemId: 18, validatorId: 2, round: 0, gold: true }));
    expect(await e.validations.goldCandidate(2, ['ko'])).toBeUndefined();
  });

  it('opens a new round when an item is submitted again, and keeps each round its figures', async () => {
    const e = await open();
    await validationWorld(e);
    await addItem(e, { id: 30, status: 'in_review' });
    await addItem(e, { id: 31, status: 'in_validation' });
    const fresh = { round: 1, validations: 0, agreement: null, unanimous: null, resolution: null };
    await e.run(`UPDATE items SET status = 'submitted' WHERE id = 30`);
    expect(await e.validations.validationSummary([30])).toEqual([{ itemId: 30, ...fresh }]);
    await e.validations.saveRoundSummary(30, {
      round: 1,
      validations: 2,
      agreement: 0.5,
      unanimous: false,
      resolution: null,
      updatedAt: at(200),
    });
    await e.validations.setResolution(30, 'adjudicated', at(210));
    const figures = { itemId: 30, round: 1, validations: 2, agreement: 0.5, unanimous: false };
    expect(await e.validations.validationSummary([31, 30, 999])).toEqual([
      { itemId: 31, ...fresh },
      { ...figures, resolution: 'adjudicated' },
      { itemId: 999, ...fresh },
    ]);
    expect(await e.rows('SELECT updated_at FROM item_validation WHERE item_id = 30')).toEqual([
      { updated_at: '2026-03-01T13:30:00.000Z' },
    ]);
    await e.run(`UPDATE items SET status = 'needs_revision' WHERE id = 30`);
    await e.run(`UPDATE items SET status = 'submitted' WHERE id = 30`);
    expect(await e.validations.roundOf(30)).toBe(2);
    expect(await e.validations.validationSummary([30])).toEqual([{ itemId: 30, ...fresh, round: 2 }]);
    expect(await e.validations.validationSummary([])).toEqual([]);
  });

  it("lists an item's submitted validations by round, oldest first within a round, gold left out", async () => {
    const e = await open();
    await validationWorld(e);
    await addItem(e, { id: 32, status: 'in_validation' });
    const submitted = async (validatorId: number, round: number, minutes: number, gold = false) => {
      const id = await e.validations.insertTask(task({ itemId: 32, validatorId, round, gold }));
      await e.validations.submit(id, { ...acceptingForm, quality: validatorId }, at(minutes));
      return id;
    };
    const late = await submitted(2, 1, 150);
    const early = await submitted(3, 1, 140);
    await e.validations.insertTask(task({ itemId: 32, validatorId: 4 }));
    const second = await submitted(2, 2, 160);
    await submitted(5, 0, 170, true);
    expect(await e.validations.countRound(32, 1)).toEqual({ submitted: 2, total: 3 });
    expect(await e.validations.countRound(32, 3)).toEqual({ submitted: 0, total: 0 });
    expect(await e.validations.roundValidations(32, 1)).toEqual([
      {
        id: early,
        itemId: 32,
        round: 1,
        itemVersion: 1,
        validatorId: 3,
        validatorName: 'Val Two',
        grounded: 'yes',
        correct: 'yes',
        category: 'keep',
        categoryPath: null,
        quality: 3,
        comment: null,
        ownAnswer: null,
        ownAnswerMatches: null,
        leasedAt: '2026-03-01T11:40:00.000Z',
        submittedAt: '2026-03-01T12:20:00.000Z',
      },
      expect.objectContaining({
        id: late,
        validatorName: 'Val One',
        submittedAt: '2026-03-01T12:30:00.000Z',
      }),
    ]);
    expect((await e.validations.itemValidations(32)).map((v) => v.id)).toEqual([second, early, late]);
  });

  it('keeps decisions newest first, with the reviewer name or none for automatic ones', async () => {
    const e = await open();
    await validationWorld(e);
    await addItem(e, { id: 40, status: 'accepted' });
    const decision = { itemId: 40, round: 1, itemVersion: 3, message: 'Check the source' } as const;
    await e.validations.insertDecision({
      ...decision,
      reviewerId: 4,
      decision: 'needs_revision',
      createdAt: at(300),
    });
    await e.validations.insertDecision({
      ...decision,
      round: 2,
      itemVersion: 5,
      reviewerId: null,
      decision: 'accept',
      message: null,
      createdAt: at(310),
    });
    expect(await e.validations.decisions(40)).toEqual([
      {
        id: 2,
        itemId: 40,
        round: 2,
        itemVersion: 5,
        reviewerId: null,
        reviewerName: null,
        decision: 'accept',
        message: null,
        createdAt: '2026-03-01T15:10:00.000Z',
      },
      {
        id: 1,
        itemId: 40,
        round: 1,
        itemVersion: 3,
        reviewerId: 4,
        reviewerName: 'Rita Reviewer',
        decision: 'needs_revision',
        message: 'Check the source',
        createdAt: '2026-03-01T15:00:00.000Z',
      },
    ]);
    expect(await e.validations.decisions(41)).toEqual([]);
  });
});
