import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { RateKind, RateLimiter, RateWindow } from '../domain/rate-limits.ts';

/**
 * express-rate-limit's counters kept in the database (server/domain/rate-limits.ts) instead of the process's
 * memory, so that every app instance counts a client into the same window. A request refused here counts nothing
 * (the middleware only needs to see more hits than the limit to answer 429).
 */
export class SharedRateLimitStore implements Store {
  readonly localKeys = false;
  private window: RateWindow | undefined;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly kind: RateKind,
  ) {}

  init(options: Options): void {
    if (typeof options.limit !== 'number')
      throw new Error('SharedRateLimitStore needs a fixed numeric limit');
    this.window = { limit: options.limit, windowMs: options.windowMs };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const window = this.window!;
    const hit = await this.limiter.hit(this.kind, key, 1, window);
    return { totalHits: hit.counted ? hit.count : window.limit + 1, resetTime: new Date(hit.resetAt) };
  }

  async decrement(key: string): Promise<void> {
    await this.limiter.giveBack(this.kind, key);
  }

  async resetKey(key: string): Promise<void> {
    await this.limiter.forget(this.kind, key);
  }
}
