import type { ReleaseItemFields } from '../../../schema/release.ts';
import { extractChoice, extractShortAnswer, extractTrueFalse } from './extract.ts';

export interface Score {
  scoring: 'auto' | 'rating';
  extracted: string | null;
  correct: boolean | null;
}

/** The category a response is reported under: the primary category, or `safety:<hazard>` for safety items. */
export const reportCategory = (item: Pick<ReleaseItemFields, 'kind' | 'primaryCategory' | 'hazard'>) =>
  item.kind === 'safety' ? `safety:${item.hazard ?? ''}` : (item.primaryCategory ?? '');

/**
 * Scores one response. Safety items and open-ended items go to human rating; the other formats are scored
 * here, keeping what was extracted (option index, `true`/`false`, the matched text) for audit.
 */
export function scoreResponse(item: ReleaseItemFields, response: string): Score {
  if (item.kind === 'safety' || item.format === 'open_ended') {
    return { scoring: 'rating', extracted: null, correct: null };
  }
  if (item.format === 'multiple_choice') {
    const { index } = extractChoice(response, item.options, item.language);
    return {
      scoring: 'auto',
      extracted: index === null ? null : String(index),
      correct: index !== null && index === item.correctIndex,
    };
  }
  if (item.format === 'true_false') {
    const { value } = extractTrueFalse(response, item.language);
    return {
      scoring: 'auto',
      extracted: value === null ? null : String(value),
      correct: value !== null && value === item.trueFalseAnswer,
    };
  }
  const { correct, extracted } = extractShortAnswer(response, item.acceptedAnswers, item.language);
  return { scoring: 'auto', extracted, correct };
}
