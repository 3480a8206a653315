import { randomFillSync } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Random bytes for uids, drawn in blocks: one randomBytes call per uid cost ≈ 10 µs, an import 1 s per 100k rows. */
const uidBytes = Buffer.alloc(4096);
let uidAt = uidBytes.length;

/** A stable public id, e.g. `ko-3kq7x2m9ab`: survives exports and re-imports, unlike the row id. */
export function newItemUid(language: string): string {
  if (uidAt + 10 > uidBytes.length) {
    randomFillSync(uidBytes);
    uidAt = 0;
  }
  let id = `${language}-`;
  for (const end = uidAt + 10; uidAt < end; uidAt++) id += BASE32[uidBytes[uidAt] & 31];
  return id;
}
