import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { CreateImportRequest, ImportJob } from '../../schema/import.ts';
import { createAuthService } from '../../server/domain/auth.ts';
import type { TestContext } from './app.ts';

export const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url));

export interface Importer {
  token: string;
  /** POST /api/imports then PUT the file; returns the PUT's answer and the job once it ended (polled). */
  upload(
    options: Omit<CreateImportRequest, 'datasetId'> & { datasetId?: number },
    body: Buffer | string,
    contentType?: string,
  ): Promise<{
    status: number;
    body: { error?: { code: string; details?: { job: ImportJob } } } & Partial<ImportJob>;
    job: ImportJob;
  }>;
}

/** A maintainer with an API token (Bearer: no CSRF header, and PUT is available). */
export async function importer(t: TestContext, datasetId: number, username = 'importer'): Promise<Importer> {
  const user = await t.addUser(username, 'maintainer');
  const token = (await createAuthService(t.repos.users).createToken(user.id, 'test')).token;
  return {
    token,
    async upload(options, body, contentType) {
      const created = await request(t.app)
        .post('/api/imports')
        .set('Authorization', `Bearer ${token}`)
        .send({ datasetId, ...options });
      if (created.status !== 201) throw new Error(`POST /api/imports: ${created.status} ${created.text}`);
      const id = (created.body as ImportJob).id;
      const res = await request(t.app)
        .put(`/api/imports/${id}/file`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', contentType ?? (options.format === 'csv' ? 'text/csv' : 'application/x-ndjson'))
        .send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
      const job = await finishedImport(t, token, id);
      return { status: res.status, body: res.body as never, job };
    },
  };
}

/**
 * Polls GET /api/imports/:id until the job is no longer reading or writing (bounded); returns it. Polls are
 * 10 ms apart, as a client's would be spaced: back-to-back requests would keep the request thread busy.
 */
export async function finishedImport(t: TestContext, token: string, id: number): Promise<ImportJob> {
  for (let polls = 0; polls < 2000; polls++) {
    const res = await request(t.app).get(`/api/imports/${id}`).set('Authorization', `Bearer ${token}`);
    const job = res.body as ImportJob;
    if (job.state !== 'reading' && job.state !== 'writing') return job;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`import ${id} did not end`);
}

/** Counts of the tables an import writes, to show a failed import wrote nothing. */
export async function writtenCounts(t: Pick<TestContext, 'sql'>) {
  const n = async (table: string) => (await t.sql<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0].n;
  return {
    items: await n('items'),
    revisions: await n('item_revisions'),
    provenance: await n('import_items'),
  };
}
