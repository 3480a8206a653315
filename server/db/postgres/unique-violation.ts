/**
 * Whether `error` is a unique violation (SQLSTATE 23505) of `constraint`, as node-postgres and PGlite report it:
 * for the repositories that turn a lost race between instances into the answer SQLite's single writer gives.
 */
export function violatesUnique(error: unknown, constraint: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === constraint;
}
