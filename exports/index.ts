import type { DatasetRecord, PreviousRelease, ReleaseFile, ReleaseSnapshot } from '../schema/release.ts';
import { datasetCard } from './card.ts';
import { changelog } from './changelog.ts';
import { checksumsPath, sha256sums } from './checksums.ts';
import { croissant } from './croissant.ts';
import { csvFiles, csvPath } from './csv.ts';
import { parquetFiles } from './parquet.ts';
import { harnessFiles } from './harness.ts';
import { jsonlFiles } from './jsonl.ts';
import { assertAscendingIds, compareIds, snapshotRecords } from './record.ts';
import { recordSchemaFile } from './record-schema.ts';
import { utf8 } from './text.ts';

export { toRecord, checkedRecord, releaseProblems, snapshotRecords, compareIds } from './record.ts';
export { jsonlLines, jsonlLine, jsonlPath } from './jsonl.ts';
export { csvHeader, csvLines, csvPath, csvPathOf, csvRow } from './csv.ts';
export { parquetPath, ParquetRecordsWriter } from './parquet.ts';
export { csvCell, csvTable, type CsvValue } from './csv-cell.ts';
export { cardStats, datasetCard, datasetCardOf, sizeCategory, taskCategories } from './card.ts';
export { canaryString } from './canary.ts';
export { croissant, croissantOf } from './croissant.ts';
export { changelog, diffReleases, fieldChanges, streamingChangelog } from './changelog.ts';
export { harnessFiles, harnessViewPath, harnessViewRow, includeRecord, blendRecord } from './harness.ts';
export { lmEvalCommand, taskNames } from './lm-eval.ts';
export { bibtexCitation } from './citation.ts';
export { RECORD_SCHEMA_PATH, recordSchemaFile } from './record-schema.ts';
export { sha256sums, checksumsPath } from './checksums.ts';

function asPrevious(previous: ReleaseSnapshot | PreviousRelease): PreviousRelease {
  return 'records' in previous ? previous : { version: previous.version, records: snapshotRecords(previous) };
}

/**
 * Every file of a release, sorted by path: pure and deterministic (same snapshot → same bytes).
 * `previous` (an earlier snapshot, or an earlier release's records) feeds CHANGELOG.md.
 */
export function buildReleaseFiles(
  snapshot: ReleaseSnapshot,
  previous?: ReleaseSnapshot | PreviousRelease | null,
): ReleaseFile[] {
  const records: DatasetRecord[] = snapshotRecords(snapshot);
  const check = assertAscendingIds();
  for (const r of records) check(r.id);
  const split = [...jsonlFiles(records), ...csvFiles(records), ...parquetFiles(records)];
  // What croissant.json describes (as the streaming writer's isDataFile): the test split's JSONL and CSV, and
  // every Parquet file.
  const data = split.filter(
    (f) => f.path === csvPath || /^data\/[^/]+\/(test\.jsonl|[^/]+\.parquet)$/.test(f.path),
  );
  const files: ReleaseFile[] = [
    ...split,
    ...harnessFiles(snapshot, records),
    recordSchemaFile(),
    { path: 'README.md', bytes: utf8(datasetCard(snapshot, records)) },
    { path: 'croissant.json', bytes: utf8(croissant(snapshot, records, data)) },
    {
      path: 'CHANGELOG.md',
      bytes: utf8(
        changelog(snapshot.version, snapshot.releasedAt, records, previous ? asPrevious(previous) : null),
      ),
    },
  ];
  files.push({ path: checksumsPath, bytes: utf8(sha256sums(files)) });
  return files.sort((a, b) => compareIds(a.path, b.path));
}
