import { AppError } from '../errors.ts';

/** How many model requests "Try on models" may make in a window: per user, and per model (all users together). */
export interface TrialRateLimit {
  windowMs: number;
  perUser: number;
  perModel: number;
}

export const DEFAULT_TRIAL_RATE_LIMIT: TrialRateLimit = { windowMs: 60_000, perUser: 20, perModel: 60 };

/** 429 `trial-rate-limited`; the route sends `retryAfterSeconds` as Retry-After too. */
export class TrialRateLimited extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    limitedBy: 'user' | 'model',
  ) {
    super(
      429,
      'trial-rate-limited',
      limitedBy === 'user'
        ? `You have tried too many items on models for now; try again in ${retryAfterSeconds} s`
        : `This model has been tried too often for now; try again in ${retryAfterSeconds} s`,
      { retryAfterSeconds, limitedBy },
    );
  }
}

/**
 * Sliding windows in this process's memory (like the login throttle): the times of the last requests per user
 * and per model. A request for several models is checked whole before anything is counted, so a refused
 * request asks no model and uses up nothing.
 */
export function createTrialThrottle(limit: TrialRateLimit, now: () => number = Date.now) {
  const windows = new Map<string, number[]>();

  /** The key's request times still inside the window (oldest first). */
  const recent = (key: string, t: number): number[] => {
    const times = (windows.get(key) ?? []).filter((at) => at > t - limit.windowMs);
    if (times.length === 0) windows.delete(key);
    else windows.set(key, times);
    return times;
  };

  return {
    /** Counts one request per model for `userId`, or throws TrialRateLimited and counts nothing. */
    take(userId: number, modelIds: number[]): void {
      const t = now();
      // Seconds until the `need` oldest requests have left the window.
      const retryAfter = (times: number[], need: number) =>
        need > times.length
          ? Math.ceil(limit.windowMs / 1000)
          : Math.max(1, Math.ceil((times[need - 1] + limit.windowMs - t) / 1000));
      const userKey = `user:${userId}`;
      const userTimes = recent(userKey, t);
      const userNeed = userTimes.length + modelIds.length - limit.perUser;
      if (userNeed > 0) throw new TrialRateLimited(retryAfter(userTimes, userNeed), 'user');
      for (const id of modelIds) {
        const times = recent(`model:${id}`, t);
        const need = times.length + 1 - limit.perModel;
        if (need > 0) throw new TrialRateLimited(retryAfter(times, need), 'model');
      }
      windows.set(userKey, [...userTimes, ...modelIds.map(() => t)]);
      for (const id of modelIds) windows.set(`model:${id}`, [...recent(`model:${id}`, t), t]);
    },
  };
}
export type TrialThrottle = ReturnType<typeof createTrialThrottle>;
