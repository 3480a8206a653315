import type { ValidationSettings } from '../../../schema/validation.ts';
import type { Db } from '../connection.ts';

const DEFAULT_SETTINGS = { goldRate: 0.1, leaseMinutes: 30 };

/** A validation_settings row (both engines). */
export interface SettingsRow {
  gold_rate: number;
  lease_minutes: number;
}

/** A dataset's settings: its row's, or the defaults while it has none. */
export const toSettings = (datasetId: number, r: SettingsRow | undefined): ValidationSettings =>
  r
    ? { datasetId, goldRate: r.gold_rate, leaseMinutes: r.lease_minutes }
    : { datasetId, ...DEFAULT_SETTINGS };

/** A dataset's validation settings: the share of gold checks and how long a lease lasts. */
export function settingsQueries(db: Db) {
  const settingsOf = db.prepare<[number], SettingsRow>(
    'SELECT gold_rate, lease_minutes FROM validation_settings WHERE dataset_id = ?',
  );
  const upsertSettings = db.prepare(
    `INSERT INTO validation_settings (dataset_id, gold_rate, lease_minutes) VALUES (@datasetId, @goldRate, @leaseMinutes)
     ON CONFLICT (dataset_id) DO UPDATE SET gold_rate = excluded.gold_rate, lease_minutes = excluded.lease_minutes`,
  );

  return {
    settings: (datasetId: number): ValidationSettings => toSettings(datasetId, settingsOf.get(datasetId)),
    saveSettings: (s: ValidationSettings): void => void upsertSettings.run(s),
  };
}
