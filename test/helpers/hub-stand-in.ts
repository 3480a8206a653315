// A local stand-in for the Hugging Face Hub's HTTP API, as much of it as a push of a release uses (the routes
// @huggingface/hub calls for repoExists, createRepo, listFiles and commit with the basic LFS transfer, and the
// refs and tag routes): it keeps each repository's files and tags in memory and records every request and
// every commit (files with their paths, sizes and SHA-256, deletions), so tests check what reached "the Hub".
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInFile {
  path: string;
  size: number;
  sha256: string;
  bytes: Buffer;
}

export interface StandInCommit {
  repo: string;
  oid: string;
  title: string;
  description: string | undefined;
  /** Files added or replaced, with how they came: inline in the commit, or uploaded through LFS. */
  files: { path: string; size: number; sha256: string; via: 'inline' | 'lfs' }[];
  deleted: string[];
}

export interface StandInRepo {
  private: boolean;
  files: Map<string, StandInFile>;
  tags: Map<string, { commit: string; message: string | undefined }>;
}

export interface StandInRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface HubStandIn {
  url: string;
  repos: Map<string, StandInRepo>;
  commits: StandInCommit[];
  requests: StandInRequest[];
  /** Answers the next request whose path ends with `suffix` with this status (once). */
  failNext(suffix: string, status: number, message: string): void;
  /** A fetch that sends requests to the stand-in only: any other URL throws (no network in tests). */
  fetch: typeof fetch;
  close(): Promise<void>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the stand-in on 127.0.0.1 (a free port). Only requests with `Bearer <token>` reach /api routes. */
export async function startHubStandIn(token: string): Promise<HubStandIn> {
  const repos = new Map<string, StandInRepo>();
  const commits: StandInCommit[] = [];
  const requests: StandInRequest[] = [];
  const uploads = new Map<string, Buffer>();
  const failures: { suffix: string; status: number; message: string }[] = [];
  let base = '';

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      const path = decodeURIComponent(url.pathname);
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const failure = failures.findIndex((f) => path.endsWith(f.suffix));
      if (failure >= 0) {
        const [f] = failures.splice(failure, 1);
        return send(f.status, { error: f.message });
      }
      // LFS uploads go to storage URLs the batch answer hands out: no token there, as on the real Hub.
      const upload = /^\/lfs-storage\/([0-9a-f]{64})$/.exec(path);
      if (upload && req.method === 'PUT') {
        const bytes = await body(req);
        if (sha256(bytes) !== upload[1]) return send(400, { error: 'sha256 mismatch' });
        uploads.set(upload[1], bytes);
        res.writeHead(200).end();
        return;
      }
      if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'Invalid credentials' });

      const repoOf = (ns: string, name: string) => repos.get(`${ns}/${name}`);
      let m: RegExpExecArray | null;
      if (req.method === 'POST' && path === '/api/repos/create') {
        const b = JSON.parse((await body(req)).toString('utf8')) as {
          name: string;
          organization: string;
          type: string;
          visibility?: string;
        };
        const id = `${b.organization}/${b.name}`;
        if (b.type !== 'dataset') return send(400, { error: 'not a dataset' });
        if (repos.has(id)) return send(409, { error: 'You already created this dataset repo' });
        repos.set(id, { private: b.visibility === 'private', files: new Map(), tags: new Map() });
        return send(200, { url: `${base}/datasets/${id}`, id });
      }
      if ((m = /^\/api\/datasets\/([^/]+)\/([^/]+)$/.exec(path)) && req.method === 'GET') {
        return repoOf(m[1], m[2])
          ? send(200, { id: `${m[1]}/${m[2]}` })
          : send(404, { error: 'Repository not found' });
      }
      if ((m = /^\/api\/datasets\/([^/]+)\/([^/]+)\/refs$/.exec(path)) && req.method === 'GET') {
        const repo = repoOf(m[1], m[2]);
        if (!repo) return send(404, { error: 'Repository not found' });
        return send(200, {
          branches: [{ name: 'main' }],
          tags: [...repo.tags].map(([name, t]) => ({
            name,
            ref: `refs/tags/${name}`,
            targetCommit: t.commit,
          })),
          converts: [],
        });
      }
      if ((m = /^\/api\/datasets\/([^/]+)\/([^/]+)\/tree\/main$/.exec(path)) && req.method === 'GET') {
        const repo = repoOf(m[1], m[2]);
        if (!repo) return send(404, { error: 'Repository not found' });
        return send(
          200,
          [...repo.files.values()].map((f) => ({ type: 'file', path: f.path, size: f.size, oid: f.sha256 })),
        );
      }
      if (/^\/api\/datasets\/[^/]+\/[^/]+\/preupload\/main$/.test(path) && req.method === 'POST') {
        const b = JSON.parse((await body(req)).toString('utf8')) as { files: { path: string }[] };
        // As the Hub's default .gitattributes: Parquet (and any archive) through LFS, text inline.
        return send(200, {
          files: b.files.map((f) => ({
            path: f.path,
            uploadMode: /\.(parquet|gz)$/.test(f.path) ? 'lfs' : 'regular',
          })),
        });
      }
      if (/^\/datasets\/[^/]+\/[^/]+\.git\/info\/lfs\/objects\/batch$/.test(path) && req.method === 'POST') {
        const b = JSON.parse((await body(req)).toString('utf8')) as {
          objects: { oid: string; size: number }[];
        };
        return send(200, {
          transfer: 'basic',
          objects: b.objects.map((o) => ({
            oid: o.oid,
            size: o.size,
            actions: { upload: { href: `${base}/lfs-storage/${o.oid}` } },
          })),
        });
      }
      if ((m = /^\/api\/datasets\/([^/]+)\/([^/]+)\/commit\/main$/.exec(path)) && req.method === 'POST') {
        const id = `${m[1]}/${m[2]}`;
        const repo = repos.get(id);
        if (!repo) return send(404, { error: 'Repository not found' });
        const lines = (await body(req))
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0)
          .map((l) => JSON.parse(l) as { key: string; value: Record<string, unknown> });
        const header = lines.find((l) => l.key === 'header')!.value as {
          summary: string;
          description?: string;
        };
        const commit: StandInCommit = {
          repo: id,
          oid: randomBytes(20).toString('hex'),
          title: header.summary,
          description: header.description,
          files: [],
          deleted: [],
        };
        for (const { key, value } of lines) {
          if (key === 'file') {
            const bytes = Buffer.from(value.content as string, 'base64');
            const file = { path: value.path as string, size: bytes.length, sha256: sha256(bytes), bytes };
            repo.files.set(file.path, file);
            commit.files.push({ path: file.path, size: file.size, sha256: file.sha256, via: 'inline' });
          } else if (key === 'lfsFile') {
            const bytes = uploads.get(value.oid as string);
            if (!bytes || bytes.length !== value.size)
              return send(422, { error: `LFS object ${String(value.oid)} missing` });
            const file = { path: value.path as string, size: bytes.length, sha256: sha256(bytes), bytes };
            repo.files.set(file.path, file);
            commit.files.push({ path: file.path, size: file.size, sha256: file.sha256, via: 'lfs' });
          } else if (key === 'deletedFile') {
            repo.files.delete(value.path as string);
            commit.deleted.push(value.path as string);
          }
        }
        commits.push(commit);
        return send(200, { commitOid: commit.oid, commitUrl: `${base}/datasets/${id}/commit/${commit.oid}` });
      }
      if ((m = /^\/api\/datasets\/([^/]+)\/([^/]+)\/tag\/([^/]+)$/.exec(path)) && req.method === 'POST') {
        const repo = repoOf(m[1], m[2]);
        if (!repo) return send(404, { error: 'Repository not found' });
        const b = JSON.parse((await body(req)).toString('utf8')) as { tag: string; message?: string };
        if (repo.tags.has(b.tag)) return send(409, { error: 'Tag already exists' });
        repo.tags.set(b.tag, { commit: m[3], message: b.message });
        return send(200, {});
      }
      send(404, { error: `No route ${req.method} ${path}` });
    })().catch((e: unknown) => {
      res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const guarded: typeof fetch = (input, init) => {
    const href = input instanceof Request ? input.url : String(input);
    if (!href.startsWith(`${base}/`)) throw new Error(`No network in tests: ${href}`);
    return fetch(input, init);
  };

  return {
    url: base,
    repos,
    commits,
    requests,
    failNext: (suffix, status, message) => failures.push({ suffix, status, message }),
    fetch: guarded,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
