import { createHash } from 'node:crypto';

/** Fixed namespace for Culture Studio canaries (UUID v5 names are dataset slugs). Never change it. */
const CANARY_NAMESPACE = '3c840cb2-88b7-4487-ac91-18d571736d24';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** RFC 9562 UUID version 5 (SHA-1, name-based): the same name always gives the same UUID. */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The dataset's canary string. It depends on the slug only, so it is the same in every release of a
 * dataset: finding it in a training corpus, or getting a model to complete it, reveals contamination.
 */
export function canaryString(datasetSlug: string): string {
  return `CULTURE-STUDIO CANARY ${uuidV5(datasetSlug, CANARY_NAMESPACE)}`;
}
