// The card's sections after its header: count tables, validation and agreement, loading, lm-eval, limitations,
// citation.
import { isPreRelease, type ReleaseSnapshot } from '../../schema/release.ts';
import { bibtexCitation } from '../citation.ts';
import { lmEvalCommand } from '../lm-eval.ts';
import { compareIds } from '../record.ts';
import { noSums, type AgreementSums, type CardStats } from './stats.ts';

/** A Markdown table of counts: one row per key, one column per language, with totals. */
export function countTable(
  heading: string,
  counts: Map<string, Map<string, number>>,
  languages: string[],
): string {
  const keys = [...counts.keys()].sort(compareIds);
  const lines = [
    `| ${heading} | ${languages.join(' | ')} | total |`,
    `| --- | ${languages.map(() => '---:').join(' | ')} | ---: |`,
  ];
  const totals = new Map<string, number>();
  let all = 0;
  for (const key of keys) {
    const row = counts.get(key) ?? new Map<string, number>();
    const cells = languages.map((l) => String(row.get(l) ?? 0));
    let total = 0;
    for (const [language, n] of row) {
      total += n;
      totals.set(language, (totals.get(language) ?? 0) + n);
    }
    all += total;
    // Keys are taxonomy ids, kinds and formats ([a-z0-9_/-]): nothing to escape.
    lines.push(`| ${key} | ${cells.join(' | ')} | ${total} |`);
  }
  lines.push(`| **total** | ${languages.map((l) => String(totals.get(l) ?? 0)).join(' | ')} | ${all} |`);
  return lines.join('\n') + '\n';
}

export function mean(sum: number, count: number, digits: number): string {
  return count === 0 ? '—' : (sum / count).toFixed(digits);
}

export function agreementTable(stats: CardStats, languages: string[]): string {
  const lines = [
    '| language | items | validations per item (mean) | unanimous | adjudicated | agreement (mean) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const row = (label: string, s: AgreementSums) => {
    lines.push(
      `| ${label} | ${s.items} | ${mean(s.validations, s.items, 2)} | ${s.unanimous} | ${s.adjudicated} | ${mean(
        s.agreementSum,
        s.agreementCount,
        3,
      )} |`,
    );
  };
  for (const language of languages) row(language, stats.agreement.get(language) ?? noSums());
  row('**all**', stats.agreementAll);
  return lines.join('\n') + '\n';
}

/** A pre-release says so at the top, with how many of its items are not validated yet. */
export function preReleaseNotice(snapshot: ReleaseSnapshot, stats: CardStats): string {
  if (!isPreRelease(snapshot.version)) return '';
  const open = unvalidated(stats);
  return [
    `> **Pre-release.** ${snapshot.version} is a pre-release for review, not a final dataset:`,
    open === 0
      ? '> every item in it was accepted, but its contents may still change before the final release.\n'
      : `> ${open} of its ${stats.total} items have not been accepted through validation yet.\n`,
  ].join('\n');
}

/** Items with no validation decision: imported as accepted, or (pre-release) not accepted yet. */
const unvalidated = (stats: CardStats) =>
  stats.agreementAll.items - stats.agreementAll.unanimous - stats.agreementAll.adjudicated;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What the validation figures below say, in numbers that match them. */
export function validationStatement(snapshot: ReleaseSnapshot, stats: CardStats): string {
  const { items, unanimous, adjudicated } = stats.agreementAll;
  const open = unvalidated(stats);
  const were = (n: number) => (n === 1 ? 'was' : 'were');
  const sentences = [
    `Of the ${plural(items, 'item')}, ${unanimous} ${were(unanimous)} accepted on agreeing independent validations by native speakers (*unanimous*) and ${adjudicated} ${were(adjudicated)} decided by a reviewer after the validators disagreed (*adjudicated*).`,
  ];
  if (open > 0) {
    sentences.push(
      isPreRelease(snapshot.version)
        ? `${plural(open, 'item')} ${open === 1 ? 'has' : 'have'} no validation decision yet: this is a pre-release.`
        : `${plural(open, 'item')} ${were(open)} accepted without a validation decision in Culture Studio (for example imported from an already reviewed benchmark).`,
    );
  }
  sentences.push(
    'Agreement is the per-item agreement among validators (−1 to 1), averaged over the items where it could be computed.',
  );
  return sentences.join('\n') + '\n';
}

/** How to load the release with `datasets`: every language, or one language's config. */
export function loadingSection(snapshot: ReleaseSnapshot): string {
  const folder = `${snapshot.dataset.slug}-${snapshot.version}`;
  return [
    '## Loading\n',
    '```python',
    'from datasets import load_dataset',
    '',
    `# The release folder ("${folder}"), or the dataset's repository id on the Hugging Face Hub.`,
    `every_language = load_dataset("${folder}", split="test")`,
    `one_language = load_dataset("${folder}", "<language>", split="test")`,
    '```\n',
  ].join('\n');
}

/** The exact lm_eval command, when the release has harness views. */
export function lmEvalSection(snapshot: ReleaseSnapshot, stats: CardStats): string {
  if (stats.harness.mcq + stats.harness.shortAnswer === 0) return '';
  return [
    '## Evaluating with lm-evaluation-harness\n',
    'From any directory (the tasks find their data relative to the release folder):\n',
    '```sh',
    lmEvalCommand(snapshot),
    '```\n',
    "This runs every task of this release and reports one overall accuracy (weighted by the tasks' sizes)",
    'besides one per task. Short answers are correct when they match an accepted variant after the same',
    "normalisation as Culture Studio's scorer (Unicode punctuation stripped, case and script variants folded).\n",
  ].join('\n');
}

/** What the data cannot tell, from what this release holds. */
export function limitationsSection(stats: CardStats, languages: string[]): string {
  const small = languages.filter((l) => (stats.agreement.get(l)?.items ?? 0) < 100);
  const lines = [
    '## Limitations\n',
    '- Items reflect the knowledge and views of the native speakers who wrote and validated them; one',
    '  country or region does not speak for every speaker of a language.',
    '- English glosses (`question_en`, `answer_en`) are aids for reading, not reviewed translations.',
  ];
  if (small.length > 0)
    lines.push(`- Fewer than 100 items in: ${small.join(', ')}; scores there have wide uncertainty.`);
  if (stats.harness.mcqOtherOptions > 0)
    lines.push(
      `- ${plural(stats.harness.mcqOtherOptions, 'multiple-choice item')} without exactly four options ${
        stats.harness.mcqOtherOptions === 1 ? 'is' : 'are'
      } in \`data/\` only, not in the INCLUDE-shaped view or its lm-eval tasks.`,
    );
  if (stats.hasSafety)
    lines.push('- Safety items have no automatic score: their responses need human rating.');
  return lines.join('\n') + '\n';
}

/** How to cite this release. */
export function citationSection(snapshot: ReleaseSnapshot): string {
  return ['## Citation\n', '```bibtex', bibtexCitation(snapshot), '```\n'].join('\n');
}
