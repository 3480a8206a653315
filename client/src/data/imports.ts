import type { CreateImportRequest, ImportJob, ImportPreset } from '../../../schema/import.ts';
import { ApiError, get, getCsrfToken, NetworkError, post, withQuery } from './api.ts';

export const listImportPresets = () => get<ImportPreset[]>('/api/imports/presets');
export const listImports = (datasetId?: number) => get<ImportJob[]>(withQuery('/api/imports', { dataset: datasetId }));
export const getImport = (id: number) => get<ImportJob>(`/api/imports/${id}`);
export const createImport = (input: CreateImportRequest) => post<ImportJob>('/api/imports', input);
/** Asks a running import to stop; it ends failed (code `cancelled`), having written nothing. */
export const cancelImport = (id: number) => post<ImportJob>(`/api/imports/${id}/cancel`, {});
/** Whether an import is still running (its file is being checked or written). */
export const importRunning = (job: ImportJob) => job.state === 'reading' || job.state === 'writing';

/**
 * PUT the raw file to a created import and resolve with the job as the server took it (202: reading, checked
 * on a job thread; poll getImport for the rest). A file refused whole (too large) answers with the job in the
 * error details: that job (state `failed`) is returned, not thrown. XMLHttpRequest rather than fetch, for
 * upload progress.
 */
export function uploadImportFile(
  id: number,
  file: Blob,
  contentType: string,
  onUpload: (loaded: number, total: number) => void,
): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/imports/${id}/file`);
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => onUpload(e.loaded, e.total);
    xhr.onerror = () => reject(new NetworkError());
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        reject(new ApiError(xhr.status, 'bad-response', 'The server sent an unreadable answer'));
        return;
      }
      if (xhr.status === 202) return resolve(body as ImportJob);
      const error = (body as { error?: { code: string; message: string; details?: { job?: ImportJob } } }).error;
      if (error?.details?.job) return resolve(error.details.job);
      reject(new ApiError(xhr.status, error?.code ?? 'http-error', error?.message ?? `HTTP ${xhr.status}`, error?.details));
    };
    xhr.send(file);
  });
}
