import { describe, expect, it } from 'vitest';
import type { AgreementReport, QuestionAgreement } from '../../schema/validation.ts';
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
    // Hand computations (docs/agreement.md; Krippendorff 2011, Fleiss 1971, Cohen 1960) on these tables.
    // correct — units A: yes yes yes · B: no no yes · C: yes yes yes (coders val1 val2 val3).
    //   α (nominal): coincidences o_yes,yes = 3 + 0 + 3 = 6, o_no,no = 1, o_no,yes = o_yes,no = 1 (unit B: each
    //   ordered pair counts 1/(m−1) = ½); n_yes = 7, n_no = 2, n = 9. D_o = 2/9; D_e = (81 − 49 − 4)/(9·8) = 7/18;
    //   α = 1 − (2/9)/(7/18) = 1 − 4/7 = 3/7.
    //   Fleiss κ: P_i = 1, (2·1)/(3·2) = 1/3, 1 → P̄ = 7/9; p_yes = 7/9, p_no = 2/9 → P̄_e = 53/81;
    //   κ = (63/81 − 53/81)/(28/81) = 10/28 = 5/14.
    //   Cohen κ per pair: val1–val2 agree on all 3 with p_e = (2/3)² + (1/3)² = 5/9 → 1; val1–val3 and
    //   val2–val3 agree on 2/3 with p_e = 2/3·1 + 1/3·0 = 2/3 → 0; mean (1 + 0 + 0)/3 = 1/3.
    //   Percent agreement: (1 + 1/3 + 1)/3 = 7/9.
    const r = row(report, 'correct');
    expect(r.units).toBe(3);
    expect(r.alpha).toBeCloseTo(3 / 7, 10);
    expect(r.fleissKappa).toBeCloseTo(5 / 14, 10);
    expect(r.cohenKappa).toBeCloseTo(1 / 3, 10);
    expect(r.percentAgreement).toBeCloseTo(7 / 9, 10);
    // quality — units A: 5 4 4 · B: 2 1 3 · C: 3 3 2; n = 9 values, n_1 = 1, n_2 = 2, n_3 = 3, n_4 = 2, n_5 = 1.
    //   α (interval, δ² = (c − k)²): per unit Σ over unordered pairs δ², ×2 ordered, ÷(m − 1) = 2:
    //   A (1 + 1 + 0) = 2, B (1 + 1 + 4) = 6, C (0 + 1 + 1) = 2 → D_o = 10/9. Mean 27/9 = 3,
    //   Σ n_c (c − 3)² = 4 + 1 + 1 + 1 + 4 + 0 + 0 + 0 + 1 = 12 → D_e = 2·9·12/(9·8) = 3. α = 1 − 10/27 = 17/27.
    //   α (ordinal, δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)²): δ²(1,2) = 1.5² = 2.25, δ²(1,3) = 4² = 16,
    //   δ²(1,4) = 6.5² = 42.25, δ²(1,5) = 8² = 64, δ²(2,3) = 2.5² = 6.25, δ²(2,4) = 5² = 25, δ²(2,5) = 42.25,
    //   δ²(3,4) = 6.25, δ²(3,5) = 16, δ²(4,5) = 2.25. D_o: A 2.25 + 2.25 = 4.5, B 2.25 + 6.25 + 16 = 24.5,
    //   C 6.25 + 6.25 = 12.5 → 41.5/9. D_e: 2·Σ_{c<k} n_c n_k δ²_ck/(9·8) = 2·(4.5 + 48 + 84.5 + 64 + 37.5 + 100
    //   + 84.5 + 37.5 + 48 + 4.5)/72 = 2·513/72 = 14.25. α = 1 − 41.5/(9·14.25) = 1 − 166/513 = 347/513.
    const q = row(report, 'quality');
    expect(q.alpha).toBeCloseTo(347 / 513, 10);
    expect(q.alphaInterval).toBeCloseTo(17 / 27, 10);
    // Free text: own answers matched against the reference after normalisation ("송 편" ≠ "떡국"), so units
    // A: 1 1 1 · B: 0 0 1 · C: 1 1 1 → percent agreement (1 + 1/3 + 1)/3 = 7/9.
    const own = row(report, 'ownAnswer');
    expect(own.percentAgreement).toBeCloseTo(7 / 9, 10);
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
    expect(overallOnly.body.questions[1].alpha).toBeCloseTo(3 / 7, 10);

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
    const renamed = await w.validators[0].patch('/api/me', { displayName: '=HYPERLINK("http://x","y")' });
    expect(renamed.status, renamed.text).toBe(200);
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
