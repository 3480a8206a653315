import { describe, expect, it } from 'vitest';
import { buildReleaseFiles, changelog, diffReleases, snapshotRecords } from '../../exports/index.ts';
import type { DatasetRecord } from '../../schema/release.ts';
import { loadSnapshot } from '../fixtures/exports/fixture.ts';

const current = () => snapshotRecords(loadSnapshot('snapshot.json'));

function withId(records: DatasetRecord[], id: string): DatasetRecord {
  const record = records.find((r) => r.id === id);
  if (!record) throw new Error(`no ${id}`);
  return record;
}

describe('CHANGELOG.md', () => {
  it('lists added, removed and changed items by stable id, with field-level changes', () => {
    const now = current();
    const ko1 = withId(now, 'ko-0001');
    const previous: DatasetRecord[] = [
      // changed: question, one choice, a nested safety-free annotation figure; release is ignored
      {
        ...ko1,
        question: '옛 질문',
        choices: ['떡국', '삼계탕', '냉면', '죽'],
        annotation: { ...ko1.annotation, validations: 2 },
        release: '1.0.0',
      },
      // unchanged apart from the release version: not listed as changed
      { ...withId(now, 'ar-0001'), release: '1.0.0' },
      // removed
      { ...withId(now, 'sw-0001'), id: 'sw-0000' },
    ];
    const kept = now.filter((r) => ['ko-0001', 'ar-0001', 'th-0001'].includes(r.id));
    const diff = diffReleases(previous, kept);
    expect(diff.added.map((r) => r.id)).toEqual(['th-0001']);
    expect(diff.removed.map((r) => r.id)).toEqual(['sw-0000']);
    expect(diff.changed).toEqual([
      {
        id: 'ko-0001',
        changes: [
          { field: 'question', before: '옛 질문', after: ko1.question },
          {
            field: 'choices',
            before: ['떡국', '삼계탕', '냉면', '죽'],
            after: ['떡국', '삼계탕', '냉면', '팥죽'],
          },
          { field: 'annotation.validations', before: 2, after: 3 },
        ],
      },
    ]);

    const text = changelog('1.1.0', '2025-06-01', kept, { version: '1.0.0', records: previous });
    expect(text).toContain('Compared with 1.0.0: 1 added, 1 removed, 1 changed; 3 items in total.');
    expect(text).toMatch(/### Added\n\n- `th-0001` \(th, culture, multiple_choice\): /);
    expect(text).toMatch(/### Removed\n\n- `sw-0000` \(sw, culture, short_answer\): /);
    expect(text).toContain('  - `annotation.validations`: `2` → `3`');
    expect(text).toContain('  - `question`: `"옛 질문"` → ');
  });

  it('reports a change inside the safety block by its nested field name', () => {
    const [record] = current().filter((r) => r.kind === 'safety');
    if (!record) throw new Error('fixture has no safety item');
    const before = {
      ...record,
      safety: { hazard: 'privacy', attack_style: 'direct', expected_behavior: 'refuse' as const },
    };
    const [change] = diffReleases([before], [record]).changed;
    expect(change?.changes).toEqual([{ field: 'safety.hazard', before: 'privacy', after: 'hate' }]);
  });

  it('says "first release" when there is no previous release', () => {
    const files = buildReleaseFiles(loadSnapshot('snapshot.json'));
    const text = new TextDecoder().decode(files.find((f) => f.path === 'CHANGELOG.md')?.bytes);
    expect(text).toBe('# Changelog\n\n## 1.1.0 (2025-06-01)\n\nFirst release: 9 items.\n');
  });

  it('keeps user text from breaking out of the Markdown (backticks, links, HTML)', () => {
    const [record] = current();
    if (!record) throw new Error('fixture is empty');
    const evil = { ...record, question: 'x` <img src=x onerror=alert(1)> [link](http://evil) ``' };
    const text = changelog('2.0.0', '2025-07-01', [evil], { version: '1.0.0', records: [record] });
    expect(text).toContain('→ ```"x` <img src=x onerror=alert(1)> [link](http://evil) ``"```\n');
    const added = changelog('2.0.0', '2025-07-01', [evil], { version: '1.0.0', records: [] });
    expect(added).toContain('x\\` \\<img src=x onerror=alert(1)\\> \\[link\\](http://evil) \\`\\`');
  });

  it('accepts the previous release as a snapshot or as records read back from its JSONL', () => {
    const snapshot = loadSnapshot('snapshot.json');
    const previousSnapshot = loadSnapshot('previous-snapshot.json');
    const fromSnapshot = buildReleaseFiles(snapshot, previousSnapshot);
    const fromRecords = buildReleaseFiles(snapshot, {
      version: previousSnapshot.version,
      records: snapshotRecords(previousSnapshot),
    });
    const log = (files: typeof fromSnapshot) => files.find((f) => f.path === 'CHANGELOG.md')?.bytes;
    expect(log(fromRecords)).toEqual(log(fromSnapshot));
  });
});
