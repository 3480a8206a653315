import { describe, expect, it } from 'vitest';
import type { AgreementReport, QuestionAgreement } from '../../schema/validation.ts';
import { fleissKappaFromData, krippendorffAlpha, percentAgreement } from '../../server/domain/agreement.ts';
import { tokenAgent, validateNext, validationWorld } from '../helpers/validation.ts';

/** Three items, three validators, with known answers per question. */
async function world() {
  const w = await validationWorld();
  const [v1, v2, v3] = w.validators;
  const a = await w.submit({}, { question: '질문 A' });
  await validateNext(v1, { quality: 5 });
  await validateNext(v2, { quality: 4 });
  await validateNext(v3, { quality: 4 });
  const b = await w.submit({}, { question: '질문 B' });
  await validateNext(v1, { correct: 'no', quality: 2 }, { variants: ['송편'] });
  await validateNext(v2, { correct: 'no', quality: 1 }, { variants: ['송 편'] });
  await validateNext(v3, { quality: 3 });
  const c = await w.submit({ format: 'short_answer' }, { question: '질문 C' });
  await validateNext(v1, { grounded: 'unsure', quality: 3 });
  await validateNext(v2, { quality: 3 });
  await validateNext(v3, { category: 'other', categoryPath: 'tradition/holidays', quality: 2 });
  return { ...w, a, b, c };
}

const row = (r: AgreementReport, question: string, language = '*', category = '*') =>
  r.questions.find(
    (q) => q.question === question && q.language === language && q.category === category,
  ) as QuestionAgreement;

describe('GET /api/agreement', () => {
  it('reports α, Fleiss κ, pairwise Cohen κ and percent agreement per question, overall and per language × category', async () => {
    const w = await world();
    const res = await w.maintainer.get(`/api/agreement?dataset=${w.dataset.id}`);
    expect(res.status, res.text).toBe(200);
    const report = res.body as AgreementReport;
    const correct = [
      ['yes', 'yes', 'yes'],
      ['no', 'no', 'yes'],
      ['yes', 'yes', 'yes'],
    ];
    const r = row(report, 'correct');
    expect(r.units).toBe(3);
    expect(r.alpha).toBeCloseTo(krippendorffAlpha(correct, 'nominal').alpha!, 10);
    expect(r.fleissKappa).toBeCloseTo(fleissKappaFromData(correct).kappa!, 10);
    expect(r.percentAgreement).toBeCloseTo(percentAgreement(correct).agreement!, 10);
    expect(r.cohenKappa).not.toBeNull();
    const quality = [
      [5, 4, 4],
      [2, 1, 3],
      [3, 3, 2],
    ];
    const q = row(report, 'quality');
    expect(q.alpha).toBeCloseTo(krippendorffAlpha(quality, 'ordinal').alpha!, 10);
    expect(q.alphaInterval).toBeCloseTo(krippendorffAlpha(quality, 'interval').alpha!, 10);
    // Free text: own answers matched against the reference after normalisation ("송 편" ≠ "떡국").
    const own = row(report, 'ownAnswer');
    expect(own.percentAgreement).toBeCloseTo(
      percentAgreement([
        [1, 1, 1],
        [0, 0, 1],
        [1, 1, 1],
      ]).agreement!,
      10,
    );
    expect(row(report, 'grounded', 'ko', 'tradition')).toMatchObject({ units: 3 });
    expect(row(report, 'grounded', 'ko')).toMatchObject({ units: 3 });
    const overallOnly = await w.maintainer.get(`/api/agreement?dataset=${w.dataset.id}&breakdown=false`);
    expect(overallOnly.body.questions.map((q: QuestionAgreement) => q.language)).toEqual([
      '*',
      '*',
      '*',
      '*',
      '*',
    ]);
    expect(overallOnly.body.questions[1].alpha).toBeCloseTo(r.alpha!, 10);

    const byName = Object.fromEntries(report.annotators.map((a) => [a.name, a]));
    expect(byName.val1).toMatchObject({ validations: 3, goldValidations: 0, goldAccuracy: null });
    expect(byName.val1.medianSeconds).toBeGreaterThanOrEqual(0);
    // Decided items: A and C were accepted unanimously? No — only A; B and C are in review.
    expect(byName.val1.decided).toBe(1);
    expect(byName.val1.agreementWithFinal).toBe(1);
    expect(report.coverage).toEqual(
      expect.arrayContaining([
        { language: 'ko', category: 'tradition', status: 'accepted', count: 1 },
        { language: 'ko', category: 'tradition', status: 'in_review', count: 2 },
      ]),
    );
  });

  it('exports each table as Excel-safe CSV with formulas neutralised', async () => {
    const w = await world();
    w.t.db
      .prepare(`UPDATE users SET display_name = '=HYPERLINK("http://x","y")' WHERE username = 'val1'`)
      .run();
    const res = await w.maintainer.get(`/api/agreement/export?dataset=${w.dataset.id}&table=annotators`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('agreement-');
    const text = res.text;
    expect(text.startsWith('\uFEFFuser_id,name,validations')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    const questions = await w.maintainer.get(`/api/agreement/export?dataset=${w.dataset.id}&table=questions`);
    expect(questions.text.split('\r\n')[0]).toBe(
      '\uFEFFquestion,language,category,units,values,alpha,alpha_interval,fleiss_kappa,cohen_kappa,percent_agreement',
    );
    expect((await w.maintainer.get(`/api/agreement/export?dataset=${w.dataset.id}&table=nope`)).status).toBe(
      400,
    );
  });

  it('is for maintainers, and for reviewers one of their languages at a time', async () => {
    const w = await validationWorld();
    const url = `/api/agreement?dataset=${w.dataset.id}`;
    expect((await w.validators[0].get(url)).status).toBe(403);
    expect((await w.reviewer.get(url)).status).toBe(403);
    expect((await w.reviewer.get(`${url}&language=ko`)).status).toBe(200);
    expect((await w.reviewer.get(`${url}&language=sw`)).status).toBe(403);
    expect((await w.maintainer.get('/api/agreement?dataset=999')).status).toBe(404);
    expect((await w.maintainer.get('/api/agreement')).status).toBe(400);
    const empty = await w.maintainer.get(url);
    expect(empty.body).toMatchObject({ questions: [], annotators: [], coverage: [] });
    const swReviewer = await tokenAgent(w.t, 'baraka', 'reviewer', ['sw']);
    expect((await swReviewer.get(`${url}&language=ko`)).status).toBe(403);
  });
});
