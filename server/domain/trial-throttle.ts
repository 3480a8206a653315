import { AppError } from '../errors.ts';
import type { Repositories } from '../db/repositories.ts';
import { createRateLimiter, secondsUntil } from './rate-limits.ts';

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
 * Fixed windows counted in the database (rate-limits.ts), shared by every app instance: requests per user and
 * per model. A request for several models is counted whole in one transaction or not at all, so a refused
 * request asks no model and uses up nothing. The keys are taken in one order (the user, then the models by id),
 * so that two instances counting overlapping requests wait for each other rather than deadlock.
 */
export function createTrialThrottle(limit: TrialRateLimit, now: () => number = Date.now) {
  const perUser = { limit: limit.perUser, windowMs: limit.windowMs };
  const perModel = { limit: limit.perModel, windowMs: limit.windowMs };
  return {
    /** Counts one request per model for `userId`, or throws TrialRateLimited and counts nothing. */
    async take(
      repos: Pick<Repositories, 'rateLimits' | 'transaction'>,
      userId: number,
      modelIds: number[],
    ): Promise<void> {
      const limiter = createRateLimiter(repos.rateLimits, now);
      await repos.transaction(async () => {
        const user = await limiter.hit('trial-user', String(userId), modelIds.length, perUser);
        if (!user.counted) throw new TrialRateLimited(secondsUntil(user.resetAt, now()), 'user');
        for (const id of [...modelIds].sort((a, b) => a - b)) {
          const model = await limiter.hit('trial-model', String(id), 1, perModel);
          if (!model.counted) throw new TrialRateLimited(secondsUntil(model.resetAt, now()), 'model');
        }
      });
    },
  };
}
export type TrialThrottle = ReturnType<typeof createTrialThrottle>;
