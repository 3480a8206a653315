import { types as pgliteTypes, type ParserOptions } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * Value conversions, done once for both engines so that they and SQLite give the API the same bytes: int8 and
 * numeric as JS numbers, timestamptz as `Date#toISOString()` writes it, json/jsonb parsed, boolean as boolean.
 */

// Type OIDs from pg_type

const OID = {
  bool: 16,
  int8: 20,
  json: 114,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
  date: 1082,
  int8Array: 1016,
  numericArray: 1231,
  timestamptzArray: 1185,
} as const;

const TIMESTAMP =
  /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/;

/**
 * A timestamptz in PostgreSQL's ISO output ('2026-11-30 00:19:29.123+00', any session time zone) as
 * `Date#toISOString()` writes it ('2026-11-30T00:19:29.123Z'): what SQLite stores. Microseconds are cut to
 * milliseconds (values written by this app have none). Infinity and other forms stay as PostgreSQL wrote them.
 */
export function timestamptzToIso(value: string): string {
  const m = TIMESTAMP.exec(value);
  if (!m || m[12]) return value;
  const [, y, mo, d, h, mi, s, fraction = '', sign, oh = '0', om = '0', os = '0'] = m;
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const offsetSeconds = (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const date = new Date(utc - offsetSeconds * 1000);
  // Date.UTC maps years 0–99 to 1900–1999.
  if (Number(y) < 100) date.setUTCFullYear(date.getUTCFullYear() - 1900);
  return date.toISOString();
}

/** Elements of a one-dimensional array literal ('{1,2,NULL}', '{"2026-01-01 00:00:00+00",…}'). */
function arrayElements(value: string): (string | null)[] {
  const inner = value.slice(1, -1);
  if (inner === '') return [];
  return inner.split(',').map((e) => (e === 'NULL' ? null : e.replace(/^"(.*)"$/, '$1')));
}

const toNumber = (value: string) => Number(value);
const parsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: toNumber,
  [OID.numeric]: toNumber,
  [OID.timestamptz]: timestamptzToIso,
  [OID.timestamp]: (value) => timestamptzToIso(`${value}+00`),
  [OID.date]: (value) => value,
  [OID.int8Array]: (value) => arrayElements(value).map((e) => (e === null ? null : Number(e))),
  [OID.numericArray]: (value) => arrayElements(value).map((e) => (e === null ? null : Number(e))),
  [OID.timestamptzArray]: (value) =>
    arrayElements(value).map((e) => (e === null ? null : timestamptzToIso(e))),
};

/** node-postgres: set on the Pool's own `types`, never on the global pg.types other code may rely on. */
export const poolTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const ours = (format ?? 'text') === 'text' ? parsers[oid] : undefined;
    return ours ?? (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * PGlite: arrays are parsed by PGlite itself, element by element with the element type's parser, which then also
 * receives the NULL elements: a number or a time is never the text 'NULL', so that is an array's NULL.
 */
const orNull =
  (parse: (value: string) => unknown) =>
  (value: string | null | undefined): unknown =>
    value === null || value === undefined || value === 'NULL' ? null : parse(value);
export const pgliteParsers: ParserOptions = {
  [OID.int8]: orNull(toNumber),
  [OID.numeric]: orNull(toNumber),
  [OID.timestamptz]: orNull(timestamptzToIso),
  [OID.timestamp]: orNull(parsers[OID.timestamp]),
  [OID.date]: (value) => value,
  [OID.bool]: (value) => value === 't',
  [OID.json]: (value) => JSON.parse(value) as unknown,
  [OID.jsonb]: (value) => JSON.parse(value) as unknown,
};
// PGlite serialises a Date through its own timestamp format; ISO strings are what this app passes anyway.
export const pgliteSerializers = {
  [pgliteTypes.TIMESTAMPTZ]: (value: unknown) =>
    value instanceof Date ? value.toISOString() : String(value),
};
