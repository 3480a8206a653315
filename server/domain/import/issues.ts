// The problems of a whole import job (its file, or the job itself) rather than of one of its rows, as the
// job's report lists them.
import type { ImportIssue } from '../../../schema/import.ts';
import { CANCELLED, DATASET_BUSY, INTERRUPTED } from '../../db/imports.ts';

/** A problem with the whole file or job rather than one of its rows. */
export const fileIssue = (code: string, message: string): ImportIssue => ({
  row: null,
  line: null,
  column: null,
  field: null,
  code,
  message,
});

/** The only problem of a job whose process died while it ran (server start marks it; see reconcile.ts). */
export const interruptedIssue = () =>
  fileIssue(
    INTERRUPTED,
    'The server stopped while this import ran; nothing was imported. Upload the file again.',
  );

/** The only problem of a job that found another import of its dataset writing (the file can be sent again). */
export const datasetBusyIssue = () =>
  fileIssue(
    DATASET_BUSY,
    'Another import of this dataset was being written; nothing was imported. Upload the file again when it has finished.',
  );

/** The only problem of a job a maintainer stopped (POST /api/imports/:id/cancel). */
export const cancelledIssue = () =>
  fileIssue(CANCELLED, 'The import was cancelled; nothing was imported. Upload the file again to retry.');

/** The problem of a job that failed for a reason other than its rows (a bug, a disk error), by phase. */
export const failedIssue = (phase: 'reading' | 'writing') =>
  phase === 'reading'
    ? fileIssue('read-failed', 'The file could not be read')
    : fileIssue('write-failed', 'Writing failed; nothing was imported');
