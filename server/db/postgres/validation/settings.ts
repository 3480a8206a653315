import type { ValidationSettings } from '../../../../schema/validation.ts';
import type { AsyncRepository } from '../../async-repository.ts';
import { type SettingsRow, type settingsQueries, toSettings } from '../../validation/settings.ts';
import type { PgDatabase } from '../database.ts';

/** A dataset's validation settings (PostgreSQL): the share of gold checks and how long a lease lasts. */
export function pgSettingsQueries(db: PgDatabase): AsyncRepository<ReturnType<typeof settingsQueries>> {
  return {
    async settings(datasetId: number): Promise<ValidationSettings> {
      const [r] = await db.query<SettingsRow>(
        'SELECT gold_rate, lease_minutes FROM validation_settings WHERE dataset_id = $1',
        [datasetId],
      );
      return toSettings(datasetId, r);
    },
    async saveSettings(s: ValidationSettings): Promise<void> {
      await db.execute(
        `INSERT INTO validation_settings (dataset_id, gold_rate, lease_minutes) VALUES ($1, $2, $3)
         ON CONFLICT (dataset_id) DO UPDATE SET gold_rate = excluded.gold_rate, lease_minutes = excluded.lease_minutes`,
        [s.datasetId, s.goldRate, s.leaseMinutes],
      );
    },
  };
}
