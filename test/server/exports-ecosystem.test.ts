import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildReleaseFiles, croissantOf } from '../../exports/index.ts';
import {
  datasetRecordKeys,
  type ReleaseFile,
  type ReleaseItem,
  type ReleaseSnapshot,
} from '../../schema/release.ts';
import { extractShortAnswer } from '../../server/domain/scoring/extract.ts';
import { croissantIssues } from '../helpers/croissant-rules.ts';
import { renderJinja } from '../helpers/jinja.ts';
import { tempDir } from '../helpers/releases.ts';
import { loadSnapshot } from '../fixtures/exports/fixture.ts';
import { INCLUDE_FIELDS, INCLUDE_TEMPLATE } from '../fixtures/lm-eval/templates.ts';

type Row = Record<string, unknown>;

const text = (files: ReleaseFile[], path: string) => {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${files.map((f) => f.path).join(', ')}`);
  return new TextDecoder().decode(file.bytes);
};
const rows = (files: ReleaseFile[], path: string) =>
  text(files, path)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
/** The demo snapshot with its items changed by `change` (items dropped where it returns null), plus `extra`. */
function snapshotWith(
  change: (item: ReleaseItem) => ReleaseItem | null = (i) => i,
  extra: ReleaseItem[] = [],
  meta: Partial<Omit<ReleaseSnapshot, 'items'>> = {},
): ReleaseSnapshot {
  const base = loadSnapshot('snapshot.json');
  const items = base.items.map(change).filter((i): i is ReleaseItem => i !== null);
  return { ...base, ...meta, items: [...items, ...extra] };
}
const itemOf = (uid: string) => loadSnapshot('snapshot.json').items.find((i) => i.item.uid === uid)!;
const edit =
  (uid: string, fields: Partial<ReleaseItem['item']>, annotation?: ReleaseItem['annotation']) =>
  (i: ReleaseItem): ReleaseItem =>
    i.item.uid === uid ? { item: { ...i.item, ...fields }, annotation: annotation ?? i.annotation } : i;
/** A YAML line `key: "<JSON string>"` as our task files write it. */
const yamlValue = (yaml: string, key: string) => {
  const line = yaml.split('\n').find((l) => l.startsWith(`${key}: `));
  if (!line) throw new Error(`no ${key} in\n${yaml}`);
  const value = line.slice(key.length + 2);
  return value.startsWith('"') ? (JSON.parse(value) as string) : value;
};
const frontMatter = (card: string) => card.split('---\n')[1];

const python = spawnSync('python3', ['--version']).status === 0;

describe('INCLUDE-shaped view (harness/mcq)', () => {
  const files = buildReleaseFiles(loadSnapshot('snapshot.json'));

  it("has INCLUDE's twelve fields on every row, in its order and with its types", () => {
    for (const path of ['harness/mcq/ko.jsonl', 'harness/mcq/th.jsonl']) {
      for (const row of rows(files, path)) {
        expect(Object.keys(row)).toEqual(INCLUDE_FIELDS.map(([name]) => name));
        for (const [name, type] of INCLUDE_FIELDS) {
          const value = row[name];
          if (type === 'integer') expect(Number.isInteger(value), name).toBe(true);
          else if (type === 'string') expect(typeof value, name).toBe('string');
          else expect(value === null || typeof value === 'string', name).toBe(true);
        }
      }
    }
    expect(rows(files, 'harness/mcq/th.jsonl')).toEqual([
      {
        language: 'Thai',
        country: 'Thailand',
        domain: 'tradition',
        subject: 'tradition/holidays',
        regional_feature: null,
        level: null,
        question: 'ในวันสงกรานต์ คนไทยนิยมทำสิ่งใดกับผู้ใหญ่ที่เคารพ?',
        option_a: 'รดน้ำดำหัว',
        option_b: 'ให้อั่งเปา',
        option_c: 'จุดพลุ',
        option_d: 'ลอยกระทง',
        answer: 0,
      },
    ]);
  });

  it("renders lm-eval's own include template unchanged on every row, its target one of the four choices", () => {
    const [ko] = rows(files, 'harness/mcq/ko.jsonl');
    expect(renderJinja(INCLUDE_TEMPLATE.doc_to_text, ko)).toBe(
      '설날 아침에 한 살 더 먹는다는 의미로 먹는 음식은 무엇인가요?\nA. 떡국\nB. 삼계탕\nC. 냉면\n D. 팥죽\nAnswer:',
    );
    for (const row of [...rows(files, 'harness/mcq/ko.jsonl'), ...rows(files, 'harness/mcq/th.jsonl')]) {
      expect(renderJinja(INCLUDE_TEMPLATE.doc_to_text, row)).toMatch(
        /\nA\. .+\nB\. .+\nC\. .+\n D\. .+\nAnswer:$/,
      );
      const target = row[INCLUDE_TEMPLATE.doc_to_target] as number;
      expect(INCLUDE_TEMPLATE.doc_to_choice[target]).toBeDefined();
    }
  });

  it('writes back what an INCLUDE import kept: language and country as INCLUDE wrote them, domain, subject, regional_feature, level', () => {
    const kept = {
      language: 'Korean',
      country: 'South Korea',
      domain: 'Humanities',
      subject: 'History',
      regional_feature: 'region explicit',
      level: 'High school',
    };
    const out = buildReleaseFiles(snapshotWith(edit('ko-0001', { metadata: kept })));
    expect(rows(out, 'harness/mcq/ko.jsonl')[0]).toMatchObject(kept);
  });

  it('when a multiple-choice item has other than four options, then it stays out of the view and the card says so', () => {
    const out = buildReleaseFiles(
      snapshotWith(edit('th-0001', { options: ['รดน้ำดำหัว', 'ให้อั่งเปา', 'จุดพลุ'], correctIndex: 0 })),
    );
    expect(out.some((f) => f.path === 'harness/mcq/th.jsonl')).toBe(false);
    expect(out.some((f) => f.path.includes('_mcq_th'))).toBe(false);
    expect(text(out, 'README.md')).toContain(
      '- 1 multiple-choice item without exactly four options is in `data/` only, not in the INCLUDE-shaped view or its lm-eval tasks.\n',
    );
  });
});

describe('BLEnD-shaped view (harness/short_answer)', () => {
  it("writes BLEnD's annotation record: ID, question, en_question, annotations with counts, idks", () => {
    const files = buildReleaseFiles(loadSnapshot('snapshot.json'));
    expect(rows(files, 'harness/short_answer/ko.jsonl')).toEqual([
      {
        ID: 'ko-0002',
        question: '윗사람이 술을 따라 줄 때 잔은 어떻게 받나요?',
        en_question: 'How do you hold your glass when an elder pours you a drink?',
        annotations: [{ answers: ['두 손으로', '양손으로'], en_answers: ['With both hands'], count: 3 }],
        idks: { idk: 0, 'no-answer': 0, 'not-applicable': 0 },
      },
    ]);
  });

  const blend = {
    annotations: [
      { answers: ['김치'], en_answers: ['kimchi'], count: 4 },
      { answers: ['밥', '쌀밥'], en_answers: ['rice'], count: 3 },
    ],
    idks: { idk: 1, 'no-answer': 0, 'not-applicable': 2 },
  };

  it("keeps a BLEnD import's annotation groups, with how many annotators gave each, and its idks", () => {
    const files = buildReleaseFiles(
      snapshotWith(edit('ko-0002', { acceptedAnswers: ['김치', '밥', '쌀밥'], metadata: blend })),
    );
    expect(rows(files, 'harness/short_answer/ko.jsonl')[0]).toMatchObject(blend);
  });

  it('when the accepted answers were edited after the import, then one group holds them instead of stale counts', () => {
    const files = buildReleaseFiles(
      snapshotWith(edit('ko-0002', { acceptedAnswers: ['김치', '배추김치'], metadata: blend })),
    );
    expect(rows(files, 'harness/short_answer/ko.jsonl')[0]).toMatchObject({
      annotations: [{ answers: ['김치', '배추김치'], en_answers: ['With both hands'], count: 3 }],
      idks: { idk: 0, 'no-answer': 0, 'not-applicable': 0 },
    });
  });
});

describe('lm-evaluation-harness tasks', () => {
  const files = buildReleaseFiles(loadSnapshot('snapshot.json'));
  const lmEval = (f: ReleaseFile[]) =>
    f.filter((x) => x.path.startsWith('harness/lm-eval/')).map((x) => x.path);

  it('names the group and every task after the dataset slug and version, so two releases sit on one include path', () => {
    expect(lmEval(files)).toEqual([
      'harness/lm-eval/culture_demo_1_1_0.yaml',
      'harness/lm-eval/culture_demo_1_1_0_mcq_ko.yaml',
      'harness/lm-eval/culture_demo_1_1_0_mcq_th.yaml',
      'harness/lm-eval/culture_demo_1_1_0_short_answer_ko.yaml',
      'harness/lm-eval/culture_demo_1_1_0_short_answer_sw.yaml',
      'harness/lm-eval/culture_demo_1_1_0_short_answer_th.yaml',
      'harness/lm-eval/utils.py',
    ]);
    const older = buildReleaseFiles(loadSnapshot('previous-snapshot.json'));
    const names = (f: ReleaseFile[]) =>
      f
        .filter((x) => x.path.endsWith('.yaml'))
        .map((x) => text(f, x.path))
        .map((yaml) => yamlValue(yaml, yaml.includes('\ngroup: ') ? 'group' : 'task'));
    const a = names(files);
    const b = names(older);
    expect(b.length).toBeGreaterThan(0);
    expect(a.filter((n) => b.includes(n))).toEqual([]);
  });

  it('has a group whose aggregate_metric_list gives one overall accuracy over every task, weighted by size', () => {
    expect(text(files, 'harness/lm-eval/culture_demo_1_1_0.yaml')).toBe(
      [
        '# lm-evaluation-harness: culture-demo 1.1.0, every task, with one overall accuracy.',
        '# Data files are found relative to the release folder (utils.py), so this runs from any directory:',
        '#   lm_eval --model hf --model_args pretrained=<model> --include_path /path/to/culture-demo-1.1.0/harness/lm-eval --tasks culture_demo_1_1_0',
        'group: culture_demo_1_1_0',
        'task:',
        '  - culture_demo_1_1_0_mcq_ko',
        '  - culture_demo_1_1_0_mcq_th',
        '  - culture_demo_1_1_0_short_answer_ko',
        '  - culture_demo_1_1_0_short_answer_sw',
        '  - culture_demo_1_1_0_short_answer_th',
        'aggregate_metric_list:',
        '  - metric: acc',
        '    aggregation: mean',
        '    weight_by_size: true',
        'metadata:',
        '  version: 1.0',
        '  release: "1.1.0"',
        '',
      ].join('\n'),
    );
    // Every task reports that metric, so the group can aggregate it.
    for (const path of lmEval(files).filter((p) => /_(mcq|short_answer)_/.test(p)))
      expect(text(files, path)).toContain('metric_list:\n  - metric: acc\n');
  });

  it("renders each task's own templates on every row of its view", () => {
    const short = text(files, 'harness/lm-eval/culture_demo_1_1_0_short_answer_sw.yaml');
    const [sw] = rows(files, 'harness/short_answer/sw.jsonl');
    expect(renderJinja(yamlValue(short, 'doc_to_text'), sw)).toBe(
      'Kijana humsalimu mzee kwa salamu gani ya heshima?\nAnswer:',
    );
    expect(renderJinja(yamlValue(short, 'doc_to_target'), sw)).toBe('Shikamoo');
    expect(yamlValue(short, 'process_results')).toBe('!function utils.process_results_sw');
    for (const path of lmEval(files).filter((p) => /_(mcq|short_answer)_/.test(p))) {
      const yaml = text(files, path);
      const view = yamlValue(yaml, '    test');
      for (const row of rows(files, view)) {
        expect(renderJinja(yamlValue(yaml, 'doc_to_text'), row)).toMatch(/\nAnswer:$/);
        if (path.includes('_short_answer_'))
          expect(renderJinja(yamlValue(yaml, 'doc_to_target'), row)).not.toBe('');
      }
    }
  });

  describe.runIf(python)('utils.py (run with python3)', () => {
    // Short-answer items in languages whose answers end with their own punctuation: ؟ (Arabic), 。 (Japanese),
    // । (Hindi), besides the demo's Korean, Swahili and Thai.
    const shortItem = (uid: string, language: string, country: string, accepted: string[]): ReleaseItem => {
      const base = itemOf('ko-0002');
      return {
        item: { ...base.item, uid, language, country, acceptedAnswers: accepted },
        annotation: base.annotation,
      };
    };
    const snapshot = snapshotWith(undefined, [
      shortItem('ar-0009', 'ar', 'EG', ['القاهرة']),
      shortItem('hi-0001', 'hi', 'IN', ['दिवाली']),
      shortItem('ja-0001', 'ja', 'JP', ['富士山']),
    ]);
    const release = join(tempDir('lm-eval-'), 'culture-demo-1.1.0');
    for (const f of buildReleaseFiles(snapshot)) {
      mkdirSync(dirname(join(release, f.path)), { recursive: true });
      writeFileSync(join(release, f.path), f.bytes);
    }
    const run = (input: object) => {
      const out = spawnSync(
        'python3',
        [fileURLToPath(new URL('../fixtures/lm-eval/run-utils.py', import.meta.url))],
        {
          input: JSON.stringify({ utils: join(release, 'harness/lm-eval/utils.py'), cwd: '/', ...input }),
          encoding: 'utf8',
        },
      );
      if (out.status !== 0) throw new Error(out.stderr);
      return JSON.parse(out.stdout) as {
        scores: number[];
        loads: { path: string; data_files: Record<string, string>; exists: boolean[] }[];
      };
    };

    it('scores the same responses exactly as the in-tool scorer, answers followed by ؟, 。 and । included', () => {
      const cases: { language: string; view: string; id: string; response: string; expected: number }[] = [
        { language: 'ar', view: 'ar', id: 'ar-0009', response: 'القاهرة؟', expected: 1 },
        { language: 'ar', view: 'ar', id: 'ar-0009', response: 'الإجابة: القاهره', expected: 1 },
        { language: 'ar', view: 'ar', id: 'ar-0009', response: 'الإسكندرية؟', expected: 0 },
        { language: 'ja', view: 'ja', id: 'ja-0001', response: '富士山。', expected: 1 },
        { language: 'ja', view: 'ja', id: 'ja-0001', response: '答えは富士山です。', expected: 1 },
        { language: 'ja', view: 'ja', id: 'ja-0001', response: '北岳。', expected: 0 },
        { language: 'hi', view: 'hi', id: 'hi-0001', response: 'दिवाली।', expected: 1 },
        { language: 'hi', view: 'hi', id: 'hi-0001', response: 'होली।', expected: 0 },
        { language: 'ko', view: 'ko', id: 'ko-0002', response: '정답: 양손으로!', expected: 1 },
        { language: 'ko', view: 'ko', id: 'ko-0002', response: '한 손으로', expected: 0 },
        { language: 'sw', view: 'sw', id: 'sw-0001', response: 'SHIKAMOO.', expected: 1 },
        { language: 'sw', view: 'sw', id: 'sw-0001', response: 'Mambo?', expected: 0 },
        { language: 'th', view: 'th', id: 'th-0002', response: '๗ ชั่วโมง', expected: 1 },
        { language: 'th', view: 'th', id: 'th-0002', response: '<think>8?</think> 7', expected: 1 },
        { language: 'th', view: 'th', id: 'th-0002', response: '8', expected: 0 },
      ];
      const doc = (view: string, id: string) =>
        rows(buildReleaseFiles(snapshot), `harness/short_answer/${view}.jsonl`).find((r) => r.ID === id)!;
      const accepted = (d: Row) => (d.annotations as { answers: string[] }[]).flatMap((g) => g.answers);
      const inTool = cases.map((c) =>
        extractShortAnswer(c.response, accepted(doc(c.view, c.id)), c.language).correct ? 1 : 0,
      );
      const { scores } = run({
        cases: cases.map((c) => ({ suffix: c.language, doc: doc(c.view, c.id), response: c.response })),
        loads: [],
      });
      expect(scores).toEqual(cases.map((c) => c.expected));
      expect(inTool).toEqual(cases.map((c) => c.expected));
    });

    it("loads each task's view file relative to the release folder, whatever the working directory", () => {
      const yaml = text(
        buildReleaseFiles(snapshot),
        'harness/lm-eval/culture_demo_1_1_0_short_answer_sw.yaml',
      );
      expect(yaml).toContain('custom_dataset: !function utils.load_data_files\n');
      // lm-eval calls custom_dataset(**metadata, **dataset_kwargs).
      const { loads } = run({
        cases: [],
        loads: [{ version: 1.0, release: '1.1.0', data_files: { test: yamlValue(yaml, '    test') } }],
      });
      expect(loads).toEqual([
        {
          path: 'json',
          data_files: { test: join(release, 'harness/short_answer/sw.jsonl') },
          exists: [true],
        },
      ]);
    });
  });
});

describe('dataset card in Hub terms', () => {
  it('lists ISO 639 codes under language and the full BCP-47 tags under language_details', () => {
    const card = text(
      buildReleaseFiles(
        snapshotWith((i) =>
          i.item.language === 'ar'
            ? edit(i.item.uid, { language: 'ar-EG' })(i)
            : i.item.language === 'sw'
              ? edit(i.item.uid, { language: 'yue-HK', country: 'HK' })(i)
              : i,
        ),
      ),
      'README.md',
    );
    expect(frontMatter(card)).toContain(
      'language:\n- "ar"\n- "ko"\n- "th"\n- "yue"\nlanguage_details:\n- "ar-EG"\n- "ko"\n- "th"\n- "yue-HK"\n',
    );
  });

  it('has a default config with every language, then one per language, all with the same pinned features', () => {
    const front = frontMatter(text(buildReleaseFiles(loadSnapshot('snapshot.json')), 'README.md'));
    const configs = front.slice(front.indexOf('configs:\n'), front.indexOf('dataset_info:\n'));
    expect(configs).toBe(
      [
        'configs:',
        '- config_name: "default"',
        '  default: true',
        '  data_files:',
        '  - split: "test"',
        '    path: "data/*/test.jsonl"',
        ...['ar', 'ko', 'sw', 'th'].flatMap((l) => [
          `- config_name: "${l}"`,
          '  data_files:',
          '  - split: "test"',
          `    path: "data/${l}/test.jsonl"`,
        ]),
        '',
      ].join('\n'),
    );
    const info = front.slice(front.indexOf('dataset_info:\n'));
    const entries = info.split(/\n- config_name: /).slice(1);
    expect(entries.map((e) => e.split('\n')[0])).toEqual(['"default"', '"ar"', '"ko"', '"sw"', '"th"']);
    const features = entries.map((e) => e.slice(e.indexOf('\n')).trimEnd());
    for (const f of features) expect(f).toBe(features[0]);
    expect(features[0]).toContain(
      [
        '  - name: annotation',
        '    struct:',
        '    - name: validations',
        '      dtype: int64',
        '    - name: agreement',
        '      dtype: float64',
        '    - name: resolution',
        '      dtype: string',
      ].join('\n'),
    );
    expect(features[0]).toContain(
      '  - name: choices\n    list: string\n  - name: answer_index\n    dtype: int64\n',
    );
  });

  it('writes agreement as a float in every data file (1.0, never 1), and only the record key', () => {
    const files = buildReleaseFiles(snapshotWith(edit('sw-0001', { question: 'Say "agreement":1, please' })));
    expect(text(files, 'data/sw/test.jsonl')).toContain(
      '"annotation":{"validations":3,"agreement":1.0,"resolution":"unanimous"}',
    );
    expect(text(files, 'data/sw/test.jsonl')).toContain('"question":"Say \\"agreement\\":1, please"');
    expect(text(files, 'data/sw/test.jsonl')).toContain('"agreement":-0.2,');
    expect(text(files, 'data/ar/test.jsonl')).toContain('"agreement":null,');
  });

  it('shows a load_dataset snippet, the exact lm_eval command, a BibTeX citation and limitations', () => {
    const card = text(buildReleaseFiles(loadSnapshot('snapshot.json')), 'README.md');
    expect(card).toContain(
      '```python\nfrom datasets import load_dataset\n\n# The release folder ("culture-demo-1.1.0"), or the dataset\'s repository id on the Hugging Face Hub.\nevery_language = load_dataset("culture-demo-1.1.0", split="test")\none_language = load_dataset("culture-demo-1.1.0", "<language>", split="test")\n```\n',
    );
    expect(card).toContain(
      '```sh\nlm_eval --model hf --model_args pretrained=<model> --include_path /path/to/culture-demo-1.1.0/harness/lm-eval --tasks culture_demo_1_1_0\n```\n',
    );
    expect(card).toContain(
      '## Citation\n\n```bibtex\n@misc{culture-demo-1.1.0,\n  title = {Culture Studio demo set},\n  version = {1.1.0},\n  year = {2025},\n  url = {https://example.org/datasets/culture-demo},\n  note = {Released 2025-06-01}\n}\n```\n',
    );
    expect(card).toContain('## Limitations\n');
    expect(card).toContain('- Safety items have no automatic score: their responses need human rating.\n');
  });

  it('escapes BibTeX specials in the dataset name', () => {
    const card = text(
      buildReleaseFiles(
        snapshotWith(undefined, [], {
          dataset: { ...loadSnapshot('snapshot.json').dataset, name: 'Food & {Drink} 100% #1_a\\b' },
        }),
      ),
      'README.md',
    );
    expect(card).toContain('  title = {Food \\& \\{Drink\\} 100\\% \\#1\\_a\\textbackslash{}b},\n');
  });

  it('when a pre-release holds unvalidated items, then the card says how many and flags it as a pre-release', () => {
    const open = { validations: 0, agreement: null, resolution: null };
    const card = text(
      buildReleaseFiles(
        snapshotWith(
          (i) => (['ko-0001', 'th-0002'].includes(i.item.uid) ? edit(i.item.uid, {}, open)(i) : i),
          [],
          {
            version: '1.2.0-rc.1',
          },
        ),
      ),
      'README.md',
    );
    expect(card).toContain(
      '> **Pre-release.** 1.2.0-rc.1 is a pre-release for review, not a final dataset:\n> 2 of its 9 items have not been accepted through validation yet.\n',
    );
    expect(frontMatter(card)).toContain('- "pre-release"\n');
    expect(card).toContain(
      'Of the 9 items, 5 were accepted on agreeing independent validations by native speakers (*unanimous*) and 2 were decided by a reviewer after the validators disagreed (*adjudicated*).\n2 items have no validation decision yet: this is a pre-release.\n',
    );
  });

  it('when a final release holds items accepted without validation, then the card says so and is no pre-release', () => {
    const none = { validations: 0, agreement: null, resolution: null };
    const card = text(buildReleaseFiles(snapshotWith(edit('sw-0002', {}, none))), 'README.md');
    expect(card).not.toContain('Pre-release');
    expect(frontMatter(card)).not.toContain('pre-release');
    expect(card).toContain(
      'and 1 was decided by a reviewer after the validators disagreed (*adjudicated*).\n1 item was accepted without a validation decision in Culture Studio (for example imported from an already reviewed benchmark).\n',
    );
  });

  it('derives its tags from the content: no safety tag without safety items, no multilingual tag for one language', () => {
    const tags = (snapshot: ReleaseSnapshot) => {
      const front = frontMatter(text(buildReleaseFiles(snapshot), 'README.md'));
      return front.slice(front.indexOf('tags:\n'), front.indexOf('configs:\n'));
    };
    expect(tags(loadSnapshot('snapshot.json'))).toBe(
      'tags:\n- "culture"\n- "evaluation"\n- "multilingual"\n- "safety"\n',
    );
    expect(
      tags(snapshotWith((i) => (i.item.language === 'ko' && i.item.kind === 'culture' ? i : null))),
    ).toBe('tags:\n- "culture"\n- "evaluation"\n');
  });

  it('when the licence is not a Hub identifier, then the card says license: other with license_name and license_link', () => {
    const withLicense = (license: string) =>
      frontMatter(
        text(
          buildReleaseFiles(
            snapshotWith(undefined, [], { dataset: { ...loadSnapshot('snapshot.json').dataset, license } }),
          ),
          'README.md',
        ),
      );
    expect(withLicense('cc-by-nd-3.0')).toContain(
      'license: "other"\nlicense_name: "cc-by-nd-3.0"\nlicense_link: "https://creativecommons.org/licenses/by-nd/3.0/"\n',
    );
    expect(withLicense('ogl-uk-3.0')).toContain(
      'license: "other"\nlicense_name: "ogl-uk-3.0"\nmultilinguality:',
    );
    expect(withLicense('cc-by-sa-4.0')).toContain('license: "cc-by-sa-4.0"\nmultilinguality:');
  });
});

describe('croissant.json', () => {
  const doc = (files: ReleaseFile[]) => JSON.parse(text(files, 'croissant.json')) as Record<string, unknown>;

  it("passes mlcroissant's checks without an error or a warning, and names its creator, url and citation", () => {
    const croissant = doc(buildReleaseFiles(loadSnapshot('snapshot.json')));
    expect(croissantIssues(croissant)).toEqual({ errors: [], warnings: [] });
    expect(croissant).toMatchObject({
      url: 'https://example.org/datasets/culture-demo',
      creator: {
        '@type': 'sc:Organization',
        name: 'Culture Studio demo set contributors',
        url: 'https://example.org/datasets/culture-demo',
      },
      citeAs:
        '@misc{culture-demo-1.1.0,\n  title = {Culture Studio demo set},\n  version = {1.1.0},\n  year = {2025},\n  url = {https://example.org/datasets/culture-demo},\n  note = {Released 2025-06-01}\n}',
    });
  });

  it('describes every record key as a field of the RecordSet, in record order', () => {
    const croissant = doc(buildReleaseFiles(loadSnapshot('snapshot.json'))) as {
      recordSet: { field: { name: string }[] }[];
    };
    expect(croissant.recordSet[0].field.map((f) => f.name)).toEqual([...datasetRecordKeys]);
  });

  it('the reproduced checks report what mlcroissant reports: a missing citeAs, a file without a hash, a dangling source', () => {
    const croissant = doc(buildReleaseFiles(loadSnapshot('snapshot.json')));
    const broken = structuredClone(croissant) as {
      citeAs?: string;
      distribution: Record<string, unknown>[];
      recordSet: { field: { source?: { fileSet: { '@id': string } } }[] }[];
    };
    delete broken.citeAs;
    delete broken.distribution[0].sha256;
    broken.recordSet[0].field[0].source!.fileSet['@id'] = 'nowhere';
    const issues = croissantIssues(broken);
    expect(issues.warnings).toEqual(['Property "citeAs" is recommended, but does not exist.']);
    expect(issues.errors).toEqual([
      "csv/test.csv: At least one of these properties should be defined: ['md5', 'sha256'].",
      'records/id: Node with uuid=nowhere does not exist.',
    ]);
  });

  it('when the release has Parquet files, then a Parquet FileSet describes them and the checks stay clean', () => {
    const snapshot = loadSnapshot('snapshot.json');
    const parquet = { path: 'data/ko/test-00000-of-00001.parquet', size: 1234, sha256: 'a'.repeat(64) };
    const croissant = JSON.parse(
      croissantOf(
        snapshot,
        ['ko'],
        [{ path: 'data/ko/test.jsonl', size: 10, sha256: 'b'.repeat(64) }, parquet],
      ),
    ) as { distribution: Record<string, unknown>[] };
    expect(croissant.distribution).toContainEqual({
      '@type': 'cr:FileObject',
      '@id': parquet.path,
      name: parquet.path,
      contentUrl: parquet.path,
      contentSize: '1234 B',
      encodingFormat: 'application/x-parquet',
      sha256: parquet.sha256,
    });
    expect(croissant.distribution).toContainEqual(
      expect.objectContaining({
        '@type': 'cr:FileSet',
        '@id': 'parquet-files',
        includes: 'data/*/*.parquet',
      }),
    );
    expect(croissantIssues(croissant as unknown as Record<string, unknown>)).toEqual({
      errors: [],
      warnings: [],
    });
  });
});

describe('record schema', () => {
  it('ships schema/dataset-record.schema.json in every release byte for byte, and the card and croissant.json name it', () => {
    const files = buildReleaseFiles(loadSnapshot('snapshot.json'));
    const shipped = files.find((f) => f.path === 'dataset-record.schema.json')!;
    expect(
      Buffer.from(shipped.bytes).equals(
        readFileSync(new URL('../../schema/dataset-record.schema.json', import.meta.url)),
      ),
    ).toBe(true);
    expect(text(files, 'README.md')).toContain(
      '- `dataset-record.schema.json`: the JSON Schema of a record (every field, its type and meaning).\n',
    );
    expect(text(files, 'croissant.json')).toContain('(JSON Schema: dataset-record.schema.json)');
    expect(text(files, 'SHA256SUMS')).toMatch(/^[0-9a-f]{64} {2}dataset-record\.schema\.json$/m);
  });
});
