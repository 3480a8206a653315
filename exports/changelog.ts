import { datasetRecordKeys, type DatasetRecord, type PreviousRelease } from '../schema/release.ts';
import { compareIds } from './record.ts';
import { excerpt, mdCode, mdText } from './text.ts';

export interface FieldChange {
  /** Record key, or `key.subkey` inside locale, safety and annotation. */
  field: string;
  before: unknown;
  after: unknown;
}

export interface RecordChange {
  id: string;
  changes: FieldChange[];
}

export interface ReleaseDiff {
  added: DatasetRecord[];
  removed: DatasetRecord[];
  changed: RecordChange[];
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field-level differences between two versions of one record; `release` always differs and is ignored. */
export function fieldChanges(before: DatasetRecord, after: DatasetRecord): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of datasetRecordKeys) {
    if (key === 'release') continue;
    const a: unknown = before[key];
    const b: unknown = after[key];
    if (sameJson(a, b)) continue;
    if (isObject(a) && isObject(b)) {
      const subkeys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
      for (const sub of subkeys) {
        if (!sameJson(a[sub], b[sub]))
          changes.push({ field: `${key}.${sub}`, before: a[sub], after: b[sub] });
      }
    } else {
      changes.push({ field: key, before: a, after: b });
    }
  }
  return changes;
}

/** Added, removed and changed records by stable id, each list in id order. */
export function diffReleases(
  previous: readonly DatasetRecord[],
  current: readonly DatasetRecord[],
): ReleaseDiff {
  const before = new Map(previous.map((r) => [r.id, r]));
  const after = new Map(current.map((r) => [r.id, r]));
  const byId = (a: { id: string }, b: { id: string }) => compareIds(a.id, b.id);
  const changed: RecordChange[] = [];
  for (const record of current) {
    const old = before.get(record.id);
    if (!old) continue;
    const changes = fieldChanges(old, record);
    if (changes.length > 0) changed.push({ id: record.id, changes });
  }
  return {
    added: current.filter((r) => !before.has(r.id)).sort(byId),
    removed: previous.filter((r) => !after.has(r.id)).sort(byId),
    changed: changed.sort(byId),
  };
}

function shown(value: unknown): string {
  return value === undefined ? '(none)' : mdCode(excerpt(JSON.stringify(value)));
}

function recordLine(r: DatasetRecord): string {
  return `- \`${r.id}\` (${r.language}, ${r.kind}, ${r.format}): ${mdText(excerpt(r.question, 80))}`;
}

/** CHANGELOG.md of a release against the previous one (or the first-release note when there is none). */
export function changelog(
  version: string,
  releasedAt: string,
  records: readonly DatasetRecord[],
  previous: PreviousRelease | null,
): string {
  const lines = ['# Changelog', '', `## ${version} (${releasedAt})`, ''];
  if (!previous) {
    lines.push(`First release: ${records.length} item${records.length === 1 ? '' : 's'}.`);
    return lines.join('\n') + '\n';
  }
  const diff = diffReleases(previous.records, records);
  lines.push(
    `Compared with ${previous.version}: ${diff.added.length} added, ${diff.removed.length} removed, ` +
      `${diff.changed.length} changed; ${records.length} item${records.length === 1 ? '' : 's'} in total.`,
  );
  if (diff.added.length > 0) lines.push('', '### Added', '', ...diff.added.map(recordLine));
  if (diff.removed.length > 0) lines.push('', '### Removed', '', ...diff.removed.map(recordLine));
  if (diff.changed.length > 0) {
    lines.push('', '### Changed', '');
    for (const change of diff.changed) {
      lines.push(`- \`${change.id}\``);
      for (const f of change.changes) {
        lines.push(`  - \`${f.field}\`: ${shown(f.before)} → ${shown(f.after)}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
