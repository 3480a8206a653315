import { describe, expect, it } from 'vitest';
import {
  coincidenceMatrix,
  cohenKappa,
  cohenKappaFromTable,
  fleissKappa,
  fleissKappaFromData,
  krippendorffAlpha,
  pairwiseCohenKappa,
  percentAgreement,
  toReliabilityData,
  type Rating,
} from '../../server/domain/agreement.ts';

const _ = null;

/** The paper prints coders as rows and units as columns; our data is units × coders. */
function transpose<T>(byCoder: T[][]): T[][] {
  return byCoder[0].map((_v, unit) => byCoder.map((coder) => coder[unit]));
}

// Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", example C: 4 observers,
// 12 units, values 1–5, missing data (also the "C" data of R irr::kripp.alpha / DescTools::KrippAlpha).
const PAPER_C = transpose([
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
]);

// Same paper, example A: two observers, ten units, binary values, no missing data.
const PAPER_A = transpose([
  [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
  [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]);

// Wikipedia, "Krippendorff's alpha", section "A computational example": 3 coders, 15 units.
const WIKIPEDIA_ALPHA = transpose([
  [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
  [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
  [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
]);

// Wikipedia, "Fleiss' kappa", worked example (after Fleiss 1971): 10 subjects, 14 raters, 5 categories.
const FLEISS_EXAMPLE = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

describe("Krippendorff's alpha", () => {
  it('reproduces the published values of Krippendorff (2011) example C for all four metrics', () => {
    expect(krippendorffAlpha(PAPER_C, 'nominal').alpha).toBeCloseTo(0.743, 3);
    expect(krippendorffAlpha(PAPER_C, 'ordinal').alpha).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(PAPER_C, 'interval').alpha).toBeCloseTo(0.849, 3);
    expect(krippendorffAlpha(PAPER_C, 'ratio').alpha).toBeCloseTo(0.797, 3);
  });

  it('drops the unit with a single value, leaving 40 pairable values in 11 units', () => {
    const result = krippendorffAlpha(PAPER_C);
    expect(result.pairableValues).toBe(40);
    expect(result.pairableUnits).toBe(11);
  });

  it('reproduces the binary two-coder example of Krippendorff (2011): alpha = 0.095', () => {
    expect(krippendorffAlpha(PAPER_A, 'nominal').alpha).toBeCloseTo(0.095, 3);
  });

  it('builds the coincidence matrix tabulated for the binary example', () => {
    expect(coincidenceMatrix(PAPER_A)).toEqual({
      values: [0, 1],
      matrix: [
        [10, 4],
        [4, 2],
      ],
      marginals: [14, 6],
      n: 20,
    });
  });

  it("reproduces Wikipedia's computational example: nominal 0.691, interval 0.811", () => {
    expect(krippendorffAlpha(WIKIPEDIA_ALPHA, 'nominal').alpha).toBeCloseTo(0.691, 3);
    expect(krippendorffAlpha(WIKIPEDIA_ALPHA, 'interval').alpha).toBeCloseTo(0.811, 3);
  });

  it('gives the same result from stored rows in any order as from the matrix', () => {
    const rows: Rating<number>[] = [];
    PAPER_C.forEach((unit, u) =>
      unit.forEach((value, c) => rows.push({ unitId: `item-${u}`, coderId: `coder-${c}`, value })),
    );
    rows.reverse();
    const { data, unitIds, coderIds } = toReliabilityData(rows);
    expect(unitIds).toHaveLength(12);
    expect(coderIds).toHaveLength(4);
    expect(krippendorffAlpha(data, 'ordinal').alpha).toBeCloseTo(0.815, 3);
  });

  it('refuses rows in which a coder rated the same unit twice', () => {
    const rows: Rating[] = [
      { unitId: 1, coderId: 'a', value: 'yes' },
      { unitId: 1, coderId: 'a', value: 'no' },
    ];
    expect(() => toReliabilityData(rows)).toThrow(/rated unit 1 twice/);
  });

  it('treats string labels like any other nominal codes', () => {
    const labels = PAPER_C.map((unit) => unit.map((v) => (v === null ? null : `label-${v}`)));
    expect(krippendorffAlpha(labels, 'nominal').alpha).toBeCloseTo(0.743, 3);
  });

  it('is 1 when coders agree perfectly on values that vary', () => {
    const data = [
      [1, 1, 1],
      [2, 2, null],
      [5, 5, 5],
    ];
    for (const metric of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      expect(krippendorffAlpha(data, metric).alpha).toBe(1);
    }
  });

  it('is null with reason no-pairable-values for one coder, all-missing data and empty input', () => {
    for (const data of [
      [[1], [2], [3]],
      [
        [null, null],
        [undefined, null],
      ],
      [],
    ]) {
      expect(krippendorffAlpha(data)).toMatchObject({
        alpha: null,
        undefinedReason: 'no-pairable-values',
        pairableValues: 0,
      });
    }
  });

  it('is null with reason no-variation when every value is the same, since D_o = D_e = 0', () => {
    const data = [
      [3, 3],
      [3, 3, 3],
      [3, null],
    ];
    for (const metric of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      expect(krippendorffAlpha(data, metric)).toMatchObject({
        alpha: null,
        undefinedReason: 'no-variation',
        observedDisagreement: 0,
        expectedDisagreement: 0,
      });
    }
  });

  it('refuses values the metric cannot measure', () => {
    expect(() => krippendorffAlpha([['low', 'high']], 'ordinal')).toThrow(RangeError);
    expect(() => krippendorffAlpha([[1, -2]], 'ratio')).toThrow(RangeError);
    expect(() => krippendorffAlpha([[1, Number.NaN]], 'interval')).toThrow(RangeError);
  });
});

describe("Fleiss' kappa", () => {
  it("reproduces Wikipedia's Fleiss (1971) example: P̄ = 0.378, P̄e = 0.213, kappa = 0.210", () => {
    const result = fleissKappa(FLEISS_EXAMPLE);
    expect(result.observedAgreement).toBeCloseTo(0.378, 3);
    expect(result.expectedAgreement).toBeCloseTo(0.213, 3);
    expect(result.kappa).toBeCloseTo(0.21, 3);
    expect(result.units).toBe(10);
  });

  it('gives the same kappa from individual ratings as from the counts', () => {
    const data = FLEISS_EXAMPLE.map((counts) =>
      counts.flatMap((n, category) => Array<number>(n).fill(category)),
    );
    expect(fleissKappaFromData(data).kappa).toBeCloseTo(fleissKappa(FLEISS_EXAMPLE).kappa as number, 12);
  });

  it('refuses subjects with different numbers of ratings', () => {
    expect(() =>
      fleissKappa([
        [2, 1],
        [1, 1],
      ]),
    ).toThrow(/2 ratings, not 3/);
    expect(() =>
      fleissKappaFromData([
        ['a', 'b', 'a'],
        ['a', null, 'b'],
      ]),
    ).toThrow(/equal counts/);
  });

  it('skips units nobody rated, and is null when there is nothing or everything agrees on one category', () => {
    expect(
      fleissKappaFromData([
        [null, null],
        ['a', 'b'],
        ['a', 'a'],
      ]).units,
    ).toBe(2);
    expect(fleissKappa([])).toMatchObject({ kappa: null, undefinedReason: 'no-pairable-values' });
    expect(fleissKappaFromData([[null], []])).toMatchObject({
      kappa: null,
      undefinedReason: 'no-pairable-values',
    });
    expect(
      fleissKappa([
        [3, 0],
        [3, 0],
      ]),
    ).toMatchObject({ kappa: null, undefinedReason: 'no-variation' });
  });
});

describe("Cohen's kappa", () => {
  // Wikipedia, "Cohen's kappa", simple example: 50 grant proposals, readers A and B.
  // A yes & B yes 20, A yes & B no 5, A no & B yes 10, A no & B no 15 → p_o 0.7, p_e 0.5, kappa 0.4.
  const TABLE = [
    [20, 5],
    [10, 15],
  ];

  it("reproduces Wikipedia's 2 × 2 example: p_o = 0.7, p_e = 0.5, kappa = 0.4", () => {
    const result = cohenKappaFromTable(TABLE);
    expect(result.observedAgreement).toBeCloseTo(0.7, 10);
    expect(result.expectedAgreement).toBeCloseTo(0.5, 10);
    expect(result.kappa).toBeCloseTo(0.4, 10);
  });

  it('gives the same kappa from the two raters’ values, skipping units either left empty', () => {
    const a: (string | null)[] = [];
    const b: (string | null)[] = [];
    const add = (x: string, y: string, times: number) => {
      for (let i = 0; i < times; i++) {
        a.push(x);
        b.push(y);
      }
    };
    add('yes', 'yes', 20);
    add('yes', 'no', 5);
    add('no', 'yes', 10);
    add('no', 'no', 15);
    a.push(null, 'yes');
    b.push('no', null);
    const result = cohenKappa(a, b);
    expect(result.kappa).toBeCloseTo(0.4, 10);
    expect(result.units).toBe(50);
  });

  it('is null when the raters share no unit, or both used a single category throughout', () => {
    expect(cohenKappa(['a', null], [null, 'b'])).toMatchObject({
      kappa: null,
      undefinedReason: 'no-pairable-values',
    });
    expect(cohenKappa(['a', 'a'], ['a', 'a'])).toMatchObject({
      kappa: null,
      undefinedReason: 'no-variation',
    });
  });

  it('reports every pair of coders that shares units, with their mean', () => {
    const data = transpose([
      ['y', 'y', 'n', 'n', 'y', 'n', null],
      ['y', 'n', 'n', 'n', 'y', 'y', 'y'],
      ['y', 'y', 'n', 'y', null, 'n', 'n'],
      [null, null, null, null, null, null, 'y'],
    ]);
    const columns = [0, 1, 2, 3].map((c) => data.map((unit) => unit[c]));
    const result = pairwiseCohenKappa(data, ['ana', 'ben', 'chi', 'dee']);
    expect(result.pairs.map((p) => `${p.coderA}-${p.coderB}`)).toEqual([
      'ana-ben',
      'ana-chi',
      'ben-chi',
      'ben-dee',
      'chi-dee',
    ]);
    expect(result.pairs[0].kappa).toBeCloseTo(cohenKappa(columns[0], columns[1]).kappa as number, 12);
    expect(result.pairs[2].units).toBe(6);
    // ben-dee share one unit on which both said y: chance agreement is 1, kappa undefined, left out of the mean.
    expect(result.pairs[3]).toMatchObject({ kappa: null, undefinedReason: 'no-variation', units: 1 });
    const defined = [0, 1, 2, 4].map((i) => result.pairs[i].kappa as number);
    expect(result.meanKappa).toBeCloseTo(defined.reduce((s, k) => s + k, 0) / 4, 12);
  });

  it('has no pairs and a null mean when no two coders share a unit', () => {
    expect(
      pairwiseCohenKappa([
        [1, null],
        [null, 2],
      ]),
    ).toEqual({ meanKappa: null, pairs: [] });
  });
});

describe('percent agreement', () => {
  it('averages the share of agreeing pairs over units with at least two values', () => {
    // Units: all agree (1), two of three pairs disagree (1/3), two values disagree (0), one value (skipped).
    const result = percentAgreement([
      [1, 1, 1],
      [1, 1, 2],
      [1, 2, null],
      [3, null, null],
    ]);
    expect(result.units).toBe(3);
    expect(result.agreement).toBeCloseTo((1 + 1 / 3 + 0) / 3, 12);
  });

  it('is null when no unit has two values', () => {
    expect(percentAgreement([[1], [null, 2], []])).toEqual({ agreement: null, units: 0 });
  });
});

describe('weighted units (distinct value patterns with counts)', () => {
  it('a row with weight w counts as w copies of it for α (every metric), Fleiss κ and percent agreement', () => {
    const rows = [
      [1, 1, 2],
      [2, 2, 2],
      [1, 3, null],
      [3, 3, 1],
    ];
    const weights = [3, 1, 2, 4];
    const expanded = rows.flatMap((row, i) => Array.from({ length: weights[i] }, () => row));
    for (const metric of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      const weighted = krippendorffAlpha(rows, metric, weights);
      const plain = krippendorffAlpha(expanded, metric);
      expect(weighted.alpha, metric).toBeCloseTo(plain.alpha!, 12);
      expect([weighted.pairableUnits, weighted.pairableValues], metric).toEqual([10, 28]);
    }
    const complete = [rows[0], rows[1], rows[3]];
    const completeWeights = [3, 1, 4];
    const completeExpanded = [0, 0, 0, 1, 2, 2, 2, 2].map((i) => complete[i]);
    expect(fleissKappaFromData(complete, completeWeights).kappa).toBeCloseTo(
      fleissKappaFromData(completeExpanded).kappa!,
      12,
    );
    const agreement = percentAgreement(rows, weights);
    expect(agreement.units).toBe(10);
    expect(agreement.agreement).toBeCloseTo(percentAgreement(expanded).agreement!, 12);
  });
});
