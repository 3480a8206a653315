import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run-cli.ts';
import { responsesCsv, scoringWorld, type ScoringWorld } from '../fixtures/scoring/world.ts';
import { tempDir } from '../helpers/releases.ts';

async function cli(w: ScoringWorld, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  // In-process, on the test's database by its location (PGlite's is shared in-process): either engine.
  const db = w.t.location ?? w.t.repos.location;
  const code = await runCli([...argv, '--db', db], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cli runs, responses and report', () => {
  it('lists runs, dry-runs a response file by default, imports it with --commit, and refuses it twice', async () => {
    const w = await scoringWorld();
    const model = await w.addModel({ name: 'Model A' });
    const run = await w.addRun(model.id);
    const file = join(tempDir(), 'answers.csv');
    writeFileSync(
      file,
      responsesCsv([
        [w.uid('mc1'), 'C'],
        [w.uid('sa1'), 'a sa1'],
      ]),
    );
    const answered = async () => (await cli(w, ['runs', 'list', '--release', String(w.release.id)])).out;
    expect(await answered()).toContain(`${run.id}  Model A  release ${w.release.version}`);
    expect(await answered()).toMatch(/ 0\/\d+ answered/);

    const args = ['responses', 'import', '--run', String(run.id), '--file', file];
    const dry = await cli(w, args);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.out).toContain('Dry run of answers.csv: 2 rows, 2 valid, 0 problem(s).');
    expect(await answered()).toMatch(/ 0\/\d+ answered/);

    const real = await cli(w, [...args, '--commit']);
    expect(real).toMatchObject({ code: 0 });
    expect(real.out).toContain('Imported and scored 2 responses.');
    expect(await answered()).toMatch(/ 2\/\d+ answered/);

    const again = await cli(w, [...args, '--commit']);
    expect(again.code).toBe(1);
    expect(again.out).toContain('already-answered');
    expect(again.err).toContain('2 problem(s); nothing was imported');
    expect(await answered()).toMatch(/ 2\/\d+ answered/);
  });

  it('saves the report as CSV or JSON, exactly what the API exports, and never over an existing file', async () => {
    const w = await scoringWorld();
    const run = await w.addRun((await w.addModel({ name: 'Model A' })).id);
    await w.put(`/api/runs/${run.id}/responses`, responsesCsv([[w.uid('mc1'), 'C']]));
    const dir = tempDir();
    for (const format of ['csv', 'json']) {
      const out = join(dir, `scores.${format}`);
      const saved = await cli(w, ['report', '--release', String(w.release.id), '--out', out, '--seed', '7']);
      expect(saved, saved.err).toMatchObject({ code: 0 });
      const api = await w.get(`/api/reports/export?release=${w.release.id}&seed=7&format=${format}`);
      expect(api.status).toBe(200);
      expect(readFileSync(out, 'utf8')).toBe(api.text);
      const twice = await cli(w, ['report', '--release', String(w.release.id), '--out', out]);
      expect(twice.code).toBe(1);
      expect(twice.err).toContain('already exists');
    }
    expect(JSON.parse(readFileSync(join(dir, 'scores.json'), 'utf8'))).toMatchObject({
      releaseVersion: w.release.version,
    });
  });

  it('says what is wrong with the options, and writes nothing', async () => {
    const w = await scoringWorld();
    const dir = tempDir();
    const cases: [string[], string][] = [
      [['responses', 'import', '--run', 'x', '--file', 'a.csv'], '--run must be a positive whole number'],
      [['responses', 'import', '--run', '999', '--file', join(dir, 'missing.csv')], 'no file'],
      [['report', '--release', '999', '--out', join(dir, 'r.csv')], 'Release'],
      [
        ['report', '--release', String(w.release.id), '--out', join(dir, 'r.xlsx'), '--format', 'xlsx'],
        '--format',
      ],
      [['runs', 'list', '--release', '0'], '--release must be a positive whole number'],
    ];
    for (const [argv, message] of cases) {
      const res = await cli(w, argv);
      expect(res.code, argv.join(' ')).toBe(1);
      expect(res.err, argv.join(' ')).toContain(message);
    }
    expect(existsSync(join(dir, 'r.csv'))).toBe(false);
    expect(existsSync(join(dir, 'r.xlsx'))).toBe(false);
  });
});
