/**
 * A statement's promise whose error, if any, carries none of the values written: PostgreSQL puts the whole
 * row in a not-null or check violation's detail ("Failing row contains (…)") and PGlite attaches the
 * statement's parameters to its errors, which for a model would be its API key, in whatever logs the error.
 * The error stays the same object (its code, message and constraint are kept).
 */
export async function withoutValues<T>(statement: Promise<T>): Promise<T> {
  try {
    return await statement;
  } catch (error) {
    if (error !== null && typeof error === 'object') {
      const e = error as { params?: unknown; detail?: unknown };
      if ('params' in e) delete e.params;
      if (typeof e.detail === 'string' && e.detail.startsWith('Failing row contains')) delete e.detail;
    }
    throw error;
  }
}
