/**
 * What a judge adds to the report: for each model run the judge judged, the judge's readable values for the
 * answers no person rated, in the slices (language × criterion) where its calibration trusts it; everything else
 * stays with the human raters. The report marks each figure human, judge or mixed (docs/scoring.md, "The report").
 */
import type { CalibrationCriterion, CalibrationQuery } from '../../../schema/judge.ts';
import type { Correctness, SafetyOutcome } from '../../../schema/scoring.ts';
import type { Repositories } from '../../db/repositories.ts';
import { notFound } from '../../errors.ts';
import { judgeCalibration } from './judge-calibration.ts';

/** One answer scored by the judge; a criterion whose slice is not trusted stays null. */
export interface JudgeFill {
  runId: number;
  uid: string;
  dims: [string, string, string, string];
  correctness: Correctness | null;
  culturalAlignment: number | null;
  languageQuality: number | null;
  safetyOutcome: SafetyOutcome | null;
}

/**
 * The judge's values for `runIds`' answers that are not in `humanRated` (keys `runId|uid`), per its judge run
 * over each run (none: nothing added), kept only for criteria whose language slice is judge-trusted.
 */
export async function judgeFills(
  repos: Repositories,
  judgeId: number,
  runIds: readonly number[],
  humanRated: ReadonlySet<string>,
  query: CalibrationQuery,
): Promise<JudgeFill[]> {
  if (!(await repos.scoring.getJudge(judgeId))) throw notFound('Judge');
  const out: JudgeFill[] = [];
  for (const runId of runIds) {
    const judgeRun = (await repos.scoring.listJudgeRuns({ judge: judgeId, run: runId }))[0];
    if (!judgeRun) continue;
    const trusted = new Set(
      (await judgeCalibration(repos, judgeRun.id, query)).slices
        .filter((s) => s.trusted && s.language !== '*')
        .map((s) => `${s.language}|${s.criterion}`),
    );
    const ok = (language: string, criterion: CalibrationCriterion) => trusted.has(`${language}|${criterion}`);
    for (const j of await repos.scoring.judgedResponses(judgeRun.id)) {
      if (humanRated.has(`${j.runId}|${j.uid}`)) continue;
      const fill: JudgeFill = {
        runId: j.runId,
        uid: j.uid,
        dims: [j.language, j.category, j.kind, j.format],
        correctness: ok(j.language, 'correctness') ? j.correctness : null,
        culturalAlignment: ok(j.language, 'culturalAlignment') ? j.culturalAlignment : null,
        languageQuality: ok(j.language, 'languageQuality') ? j.languageQuality : null,
        safetyOutcome: ok(j.language, 'safetyOutcome') ? j.safetyOutcome : null,
      };
      const values = [fill.correctness, fill.culturalAlignment, fill.languageQuality, fill.safetyOutcome];
      if (values.some((v) => v !== null)) out.push(fill);
    }
  }
  return out;
}
