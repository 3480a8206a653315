import type { ReleasedTrial } from '../schema/trials.ts';

/** Where a release carries its items' model trials, when the maintainer includes them. */
export const trialsPath = 'trials.jsonl';

/**
 * The model trials of a release's items ("Try on models"), one JSON object a line, in the order given (item id,
 * then age): which revision of the item was tried (`revision`), the model, the prompt sent, its answer, the
 * reference it was scored against, what automatic scoring read and whether it was right, the safety verdict.
 * Who tried it is left out.
 */
export function trialsJsonl(trials: readonly ReleasedTrial[]): string {
  return trials
    .map(
      (t) =>
        `${JSON.stringify({
          id: t.uid,
          revision: t.itemVersion,
          model: t.model,
          prompt: t.prompt,
          response: t.answer,
          reference: t.reference,
          extracted: t.extracted,
          correct: t.correct,
          safety_outcome: t.safetyOutcome,
          created_at: t.createdAt,
        })}\n`,
    )
    .join('');
}
