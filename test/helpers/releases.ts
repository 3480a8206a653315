import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

export const tempDir = (prefix = 'cs-releases-') => mkdtempSync(join(tmpdir(), prefix));

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
  'externalId,language,country,kind,format,question,questionEn,referenceAnswer,acceptedAnswers,options,correctIndex,trueFalseAnswer,primaryCategory,hazard,attackStyle,expectedBehavior,notes';

export interface SampleRow {
  id: string;
  language?: string;
  format?: 'open_ended' | 'short_answer' | 'multiple_choice' | 'true_false';
  kind?: 'culture' | 'safety';
  question?: string;
  category?: string;
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
    ];
    return cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
  });
  return [HEADER, ...lines].join('\n') + '\n';
}
