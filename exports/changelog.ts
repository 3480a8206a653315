import { datasetRecordKeys, type DatasetRecord, type PreviousRelease } from '../schema/release.ts';
import { assertAscendingIds, compareIds } from './record.ts';
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

function changeLines(change: RecordChange): string[] {
  return [
    `- \`${change.id}\``,
    ...change.changes.map((f) => `  - \`${f.field}\`: ${shown(f.before)} → ${shown(f.after)}`),
  ];
}

/** The Markdown lines of a diff, as CHANGELOG.md lists them (each list in id order). */
interface DiffLines {
  added: string[];
  removed: string[];
  /** One entry per changed record: its lines. */
  changed: string[][];
}

function render(
  version: string,
  releasedAt: string,
  total: number,
  previous: { version: string; diff: DiffLines } | null,
): string {
  const lines = ['# Changelog', '', `## ${version} (${releasedAt})`, ''];
  const items = `${total} item${total === 1 ? '' : 's'}`;
  if (!previous) {
    lines.push(`First release: ${items}.`);
    return lines.join('\n') + '\n';
  }
  const { added, removed, changed } = previous.diff;
  lines.push(
    `Compared with ${previous.version}: ${added.length} added, ${removed.length} removed, ` +
      `${changed.length} changed; ${items} in total.`,
  );
  if (added.length > 0) lines.push('', '### Added', '', ...added);
  if (removed.length > 0) lines.push('', '### Removed', '', ...removed);
  if (changed.length > 0) lines.push('', '### Changed', '', ...changed.flat());
  return lines.join('\n') + '\n';
}

/** CHANGELOG.md of a release against the previous one (or the first-release note when there is none). */
export function changelog(
  version: string,
  releasedAt: string,
  records: readonly DatasetRecord[],
  previous: PreviousRelease | null,
): string {
  if (!previous) return render(version, releasedAt, records.length, null);
  const diff = diffReleases(previous.records, records);
  return render(version, releasedAt, records.length, {
    version: previous.version,
    diff: {
      added: diff.added.map(recordLine),
      removed: diff.removed.map(recordLine),
      changed: diff.changed.map(changeLines),
    },
  });
}

/**
 * CHANGELOG.md gathered while streaming: `add` takes the release's records in id order and merges them
 * with the previous release's records (also in id order), keeping only the Markdown lines of the diff, so
 * neither release is held in memory. `text()` gives what `changelog` gives for the same records.
 */
export function streamingChangelog(
  version: string,
  releasedAt: string,
  previous: { version: string; records: Iterator<DatasetRecord> } | null,
) {
  let total = 0;
  const diff: DiffLines = { added: [], removed: [], changed: [] };
  const checkPrevious = assertAscendingIds();
  const pull = (): DatasetRecord | null => {
    const next = previous?.records.next();
    if (!next || next.done) return null;
    checkPrevious(next.value.id);
    return next.value;
  };
  let before = pull();
  return {
    add(record: DatasetRecord) {
      total++;
      if (!previous) return;
      while (before && compareIds(before.id, record.id) < 0) {
        diff.removed.push(recordLine(before));
        before = pull();
      }
      if (before && before.id === record.id) {
        const changes = fieldChanges(before, record);
        if (changes.length > 0) diff.changed.push(changeLines({ id: record.id, changes }));
        before = pull();
      } else {
        diff.added.push(recordLine(record));
      }
    },
    text(): string {
      while (before) {
        diff.removed.push(recordLine(before));
        before = pull();
      }
      return render(version, releasedAt, total, previous && { version: previous.version, diff });
    },
  };
}
