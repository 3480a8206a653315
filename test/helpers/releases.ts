import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import tar from 'tar-stream';
import { scratchDir } from './app.ts';

/** A scratch folder removed with the test file's temp folder after the file. */
export const tempDir = (prefix = 'releases-') => scratchDir(prefix);

/** Every file under `dir`, path (with /) → bytes. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full).split('\\').join('/'), readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

/** The entries of a .tar.gz, in archive order. */
export async function readArchive(
  bytes: Buffer,
): Promise<{ name: string; mtime: Date | undefined; mode: number | undefined; bytes: Buffer }[]> {
  const extract = tar.extract();
  const entries: { name: string; mtime: Date | undefined; mode: number | undefined; bytes: Buffer }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        entries.push({
          name: header.name,
          mtime: header.mtime,
          mode: header.mode,
          bytes: Buffer.concat(chunks),
        });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from([bytes]).pipe(createGunzip()).pipe(extract);
  await done;
  return entries;
}

const HEADER =
  'externalId,language,country,kind,format,question,questionEn,referenceAnswer,acceptedAnswers,options,correctIndex,trueFalseAnswer,primaryCategory,hazard,attackStyle,expectedBehavior,notes,context';

export interface SampleRow {
  id: string;
  language?: string;
  format?: 'open_ended' | 'short_answer' | 'multiple_choice' | 'true_false';
  kind?: 'culture' | 'safety';
  question?: string;
  category?: string;
  /** A passage the question refers to. */
  context?: string;
}

/** A CSV of complete items for the native import preset. */
export function sampleCsv(rows: SampleRow[]): string {
  const lines = rows.map((r) => {
    const language = r.language ?? 'ko';
    const country = { ko: 'KR', ar: 'EG', sw: 'TZ' }[language] ?? 'KR';
    const format = r.format ?? 'open_ended';
    const kind = r.kind ?? 'culture';
    const q = r.question ?? `${language} question ${r.id}`;
    const cells = [
      r.id,
      language,
      country,
      kind,
      format,
      q,
      `English gloss of ${r.id}`,
      format === 'open_ended' ? `answer ${r.id}` : '',
      format === 'short_answer' ? `a ${r.id}|b ${r.id}` : '',
      format === 'multiple_choice' ? 'one|two|three|four' : '',
      format === 'multiple_choice' ? '2' : '',
      format === 'true_false' ? 'false' : '',
      kind === 'culture' ? (r.category ?? 'tradition/food') : '',
      kind === 'safety' ? 'hate' : '',
      kind === 'safety' ? 'role-play' : '',
      kind === 'safety' ? 'refuse' : '',
      '',
      r.context ?? '',
    ];
    return cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

/** What polling a release build gives: the POST's answer, with the release as it stands once built. */
export interface SettledResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- a response body, as supertest's
  text: string;
}

/**
 * Waits for the release build a POST /api/releases (or /:id/build) started: polls GET /api/releases/:id
 * (each poll a request, at most `polls` of them) until the release is no longer `building`, and returns the
 * POST's status with the release as it ended. Any other answer (4xx) is returned as it is.
 */
export async function settled(
  app: Express,
  headers: Record<string, string>,
  res: SettledResponse | Promise<SettledResponse>,
  polls = 20_000,
): Promise<SettledResponse> {
  const started = await res;
  if (started.status !== 202) return started;
  const id = (started.body as { id: number }).id;
  for (let n = 0; n < polls; n++) {
    const got = await request(app).get(`/api/releases/${id}`).set(headers);
    if (got.status !== 200) throw new Error(`GET /api/releases/${id}: ${got.status} ${got.text}`);
    if ((got.body as { state: string }).state !== 'building')
      return { status: started.status, body: got.body as unknown, text: got.text };
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`Release ${id} was still building after ${polls} polls`);
}
