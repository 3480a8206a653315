import { notFound } from '../errors.ts';

/** A path parameter as one string; a wildcard's segments joined back with '/'. */
export const pathParam = (value: string | string[] | undefined): string =>
  Array.isArray(value) ? value.join('/') : (value ?? '');

/** A numeric id from the path. Anything else names no resource, hence 404 rather than 400. */
export function idParam(value: string | string[] | undefined, what: string): number {
  const s = pathParam(value);
  if (!/^[1-9]\d{0,14}$/.test(s)) throw notFound(what);
  return Number(s);
}
