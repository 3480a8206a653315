import type { Item } from '../../schema/item.ts';
import type { Repositories } from '../db/repositories.ts';
import { conflict } from '../errors.ts';

const TRIAL_REQUIRED = 'Try the item on at least one model before submitting it';

/**
 * A dataset may require every item to be tried on a model before it is submitted (trial settings): then an
 * item without a trial (of any of its revisions) is refused with 409 `trial-required`, listed as a submission
 * problem (path `trials`, code `required`) so the editor shows it with the others.
 */
export async function checkTrialBeforeSubmit(
  repos: Repositories,
  item: Pick<Item, 'id' | 'datasetId'>,
): Promise<void> {
  if ((await repos.trials.requireTrial(item.datasetId)) && (await repos.trials.countForItem(item.id)) === 0) {
    throw conflict('trial-required', TRIAL_REQUIRED, {
      problems: [{ path: 'trials', code: 'required', message: TRIAL_REQUIRED }],
    });
  }
}
