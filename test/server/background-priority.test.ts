import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE } from '../../server/jobs/priority.ts';
import { createTestContext, inProcessDatabase } from '../helpers/app.ts';
import { importer } from '../helpers/imports.ts';
import { addDataset } from '../helpers/items.ts';
import { sampleCsv } from '../helpers/releases.ts';

/** The nice value of every thread of this process, by thread id (Linux: field 19 of /proc/self/task/<tid>/stat). */
function niceByThread(): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nice.set(Number(tid), Number(fields[16]));
  }
  return nice;
}

describe('background threads', () => {
  // On PGlite (in this thread's memory) jobs run on the request thread itself: there is no job thread to look at.
  it.runIf(process.platform === 'linux' && !inProcessDatabase)(
    'run at a lower CPU priority than the request thread once a job has run, which keeps its own',
    async () => {
      const t = await createTestContext();
      const imp = await importer(t, (await addDataset(t)).id);
      const before = niceByThread();
      const done = await imp.upload({ format: 'csv', dryRun: false }, sampleCsv([{ id: 'one' }]));
      expect(done.job.state).toBe('imported');
      const after = niceByThread();
      // The request thread's id is the process id.
      expect(after.get(process.pid)).toBe(before.get(process.pid));
      expect(after.get(process.pid)).toBe(0);
      // The job thread that ran the import (started by it, or by an earlier test of this file's pool).
      expect([...after.values()].filter((n) => n === BACKGROUND_NICE).length).toBeGreaterThanOrEqual(1);
    },
  );
});
