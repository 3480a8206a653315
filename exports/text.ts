import { createHash } from 'node:crypto';

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A YAML double-quoted scalar. JSON string syntax is valid YAML, and quoting everything avoids YAML 1.1
 * surprises (the language tag `no` would otherwise load as the boolean false).
 */
export function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** Inline Markdown text: user-typed text cannot open links, HTML, emphasis or table cells. */
export function mdText(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>|~&]/g, '\\$&');
}

/** An inline code span that holds any text: the fence is longer than any backtick run inside. */
export function mdCode(value: string): string {
  const single = value.replace(/\s+/g, ' ');
  const longest = Math.max(0, ...(single.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = single.startsWith('`') || single.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${single}${pad}${fence}`;
}

/** Pretty JSON with a final newline, for human-readable metadata files. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Shortens a value for a human-readable summary; the full value lives in the data files. */
export function excerpt(value: string, max = 120): string {
  const chars = [...value];
  return chars.length <= max ? value : chars.slice(0, max - 1).join('') + '…';
}
