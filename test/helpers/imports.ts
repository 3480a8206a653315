import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { CreateImportRequest, ImportJob } from '../../schema/import.ts';
import { createAuthService } from '../../server/domain/auth.ts';
import type { TestContext } from './app.ts';

export const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url));

export interface Importer {
  token: string;
  /** POST /api/imports then PUT the file; returns both answers. */
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
  const token = createAuthService(t.repos.users).createToken(user.id, 'test').token;
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
      const job = (await request(t.app).get(`/api/imports/${id}`).set('Authorization', `Bearer ${token}`))
        .body as ImportJob;
      return { status: res.status, body: res.body as never, job };
    },
  };
}

/** Counts of the tables an import writes, to show a failed import wrote nothing. */
export function writtenCounts(t: TestContext) {
  const n = (table: string) => (t.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { items: n('items'), revisions: n('item_revisions'), provenance: n('import_items') };
}
