/**
 * How the report's figures read: a proportion as a percentage with its interval, a mean with two decimals,
 * every figure with its n, and a visible "too few to read" label (with its explanation for assistive
 * technology) when n < 10; differences in points with their interval and p-values.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { SMALL_SAMPLE, type Estimate, type Figure, type PairedDifference } from '../../../schema/scoring.ts';
import { msg } from '../i18n/index.ts';

const p1 = (x: number) => (x * 100).toFixed(1);

/** The "too few to read" label of a figure with n < 10 (nothing otherwise). */
export function smallSampleLabel(n: number): TemplateResult | typeof nothing {
  if (n >= SMALL_SAMPLE) return nothing;
  const hint = msg('reportTooFewHint', { n, min: SMALL_SAMPLE });
  return html`<span class="few" role="note" aria-label=${hint} title=${hint}>${msg('reportTooFew')}</span>`;
}

/**
 * Where a figure's values come from when a judge took part (judge or mixed): a visible label, so people's and the
 * judge's figures are never mixed silently. Nothing for people's and automatic figures.
 */
export function sourceLabel(e: Estimate | Figure): TemplateResult | typeof nothing {
  if (!('source' in e) || (e.source !== 'judge' && e.source !== 'mixed')) return nothing;
  const text =
    e.source === 'judge'
      ? msg('reportSourceJudge')
      : msg('reportSourceMixed', { judged: e.judged ?? 0, n: e.n });
  return html`<span class="source">${text}</span>`;
}

/** A figure: value, interval, n, the too-few label and, with a judge, its source; `percent` for proportions. */
export function figure(e: Estimate, percent: boolean): TemplateResult {
  if (e.value === null) return html`<span class="muted">– (n=0)</span>`;
  const f = (x: number) => (percent ? p1(x) : x.toFixed(2));
  return html`<span class="figure"
    >${f(e.value)}${percent ? '%' : ''}
    <span class="ci">[${f(e.low ?? e.value)}–${f(e.high ?? e.value)}]</span>
    <span class="n">n=${e.n}</span> ${smallSampleLabel(e.n)} ${sourceLabel(e)}</span
  >`;
}

const signed = (x: number, digits: number) =>
  `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}`;

/** A p-value as people read it: 3 significant digits, "< 0.001" below. */
export const pText = (p: number | null) => (p === null ? '–' : p < 0.001 ? '< 0.001' : p.toPrecision(3));

/** "A − B = +7.1 points (95% interval …; p = …, after Holm …; n = …)", or "no pairs". */
export function differenceText(d: PairedDifference, percent: boolean): string {
  if (d.value === null) return msg('compareNoPairs');
  const digits = percent ? 1 : 2;
  const scale = percent ? 100 : 1;
  return msg(percent ? 'compareDifferencePoints' : 'compareDifference', {
    diff: signed(d.value * scale, digits),
    low: signed((d.low ?? d.value) * scale, digits),
    high: signed((d.high ?? d.value) * scale, digits),
    p: pText(d.p),
    pHolm: pText(d.pHolm),
    n: d.n,
  });
}

/** A visible mark for a difference that stays significant at 5% after Holm's correction. */
export function significanceLabel(pHolm: number | null): TemplateResult | typeof nothing {
  return pHolm !== null && pHolm < 0.05
    ? html`<span class="significant">${msg('compareSignificant')}</span>`
    : nothing;
}
