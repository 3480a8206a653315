import { readFileSync } from 'node:fs';
import type { ReleaseFile } from '../schema/release.ts';

/** Where a release carries the JSON Schema of its records (the card and croissant.json point to it). */
export const RECORD_SCHEMA_PATH = 'dataset-record.schema.json';

/**
 * schema/dataset-record.schema.json as this version of Culture Studio defines a record, byte for byte — read from
 * the repository's schema/ folder both from the sources (exports/) and from the compiled server
 * (build/exports/; see server/runtime.ts).
 */
const schemaBytes = readFileSync(
  new URL(
    `${import.meta.url.endsWith('.js') ? '../' : ''}../schema/dataset-record.schema.json`,
    import.meta.url,
  ),
);

/** The record schema file of a release. */
export const recordSchemaFile = (): ReleaseFile => ({
  path: RECORD_SCHEMA_PATH,
  bytes: new Uint8Array(schemaBytes),
});
