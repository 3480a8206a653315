// The domain as the HTTP layer sees it: every service built once, from one set of repositories, by
// createApp (server/app.ts), and handed to the routers. Routes call these and never a repository.
import type { Repositories } from '../db/repositories.ts';
import { createOutboundClient, type OutboundOptions } from '../outbound/client.ts';
import { createAgreementService } from './agreement-service.ts';
import { createAuthService } from './auth.ts';
import { createDatasetService } from './datasets.ts';
import { createHubService, type HubSettings } from './hub-push.ts';
import { createImportJobService } from './import/job.ts';
import { createImportService, type ImportHook } from './import/service.ts';
import { unregisteredInstance, type AppInstance } from './instances.ts';
import { createItemSplitService } from './item-split.ts';
import { createItemService, type ItemSaveHook } from './items.ts';
import { createLoginThrottle, DEFAULT_LOGIN_RATE_LIMIT, type LoginRateLimit } from './login-throttle.ts';
import { createRateLimiter } from './rate-limits.ts';
import { createReleaseService, type ReleaseBuildHook } from './releases/service.ts';
import { createReviewService } from './review.ts';
import { createCollectionService } from './scoring/collection-job.ts';
import { createJudgeService } from './scoring/judge-service.ts';
import { createRatingService } from './scoring/rating.ts';
import { createComparisonService } from './scoring/comparison-service.ts';
import { createReportService } from './scoring/report-service.ts';
import { createScoringService } from './scoring/service.ts';
import { createTaxonomyService } from './taxonomies.ts';
import { createTrialThrottle, DEFAULT_TRIAL_RATE_LIMIT, type TrialRateLimit } from './trial-throttle.ts';
import { createTrialService, createTrialSettingsService } from './trials.ts';
import { createUserService } from './users.ts';
import { createValidationService } from './validation.ts';

export interface ServiceOptions {
  /** Where release folders and archives are written. */
  releasesDir: string;
  /** Failed password checks allowed per username (default 10 per 15 minutes). */
  loginRateLimit?: LoginRateLimit;
  /** Where unexpected errors of background work (jobs, damaged release files) are reported. */
  log?: (message: string, err: unknown) => void;
  /** Called at each step of a release build (tests). */
  releaseBuildHook?: ReleaseBuildHook;
  /** Called at two points of a running import (tests). */
  importHook?: ImportHook;
  /** Called by an item save between its read and its conditional write (tests). */
  itemSaveHook?: ItemSaveHook;
  /** Where model API keys named by an environment variable are read (default process.env). */
  scoringEnv?: Record<string, string | undefined>;
  /** Address policy and limits of requests to model endpoints (default: loopback and private networks refused). */
  outbound?: OutboundOptions;
  /** The Hugging Face Hub releases are pushed to (default huggingface.co, no token). */
  hub?: HubSettings;
  /** Requests "Try on models" may make per user and per model (default DEFAULT_TRIAL_RATE_LIMIT). */
  trialRateLimit?: TrialRateLimit;
  /**
   * This app instance on the database (main.ts registers it: server/domain/instances.ts): the owner of the jobs
   * the services start. Default: one never registered, whose jobs are a dead instance's to any other.
   */
  instance?: AppInstance;
}

export function createServices(repos: Repositories, options: ServiceOptions) {
  const { log } = options;
  const instance = options.instance ?? unregisteredInstance(repos.instances);
  const owner = instance.id;
  const releases = createReleaseService(repos, {
    releasesDir: options.releasesDir,
    hook: options.releaseBuildHook,
    log,
    instance,
  });
  // Counted in the database, so that every app instance on it counts into the same windows.
  const rateLimits = createRateLimiter(repos.rateLimits);
  return {
    rateLimits,
    auth: createAuthService(
      repos.users,
      createLoginThrottle(rateLimits, options.loginRateLimit ?? DEFAULT_LOGIN_RATE_LIMIT),
    ),
    users: createUserService(repos.users),
    datasets: createDatasetService(repos),
    taxonomies: createTaxonomyService(repos.taxonomies),
    items: createItemService(repos, { saveHook: options.itemSaveHook }),
    itemSplit: createItemSplitService(repos),
    imports: createImportService(repos),
    importJobs: createImportJobService(repos, { hook: options.importHook, log, owner }),
    releases,
    hub: createHubService(releases, options.hub),
    validation: createValidationService(repos),
    review: createReviewService(repos),
    agreement: createAgreementService(repos),
    scoring: createScoringService(repos),
    collections: createCollectionService(repos, {
      env: options.scoringEnv,
      outbound: createOutboundClient(options.outbound),
      allowPrivate: options.outbound?.allowPrivate,
      maxBodyBytes: options.outbound?.maxBodyBytes,
      log,
      owner,
    }),
    rating: createRatingService(repos),
    trials: createTrialService(repos, {
      throttle: createTrialThrottle(options.trialRateLimit ?? DEFAULT_TRIAL_RATE_LIMIT),
      env: options.scoringEnv,
      outbound: options.outbound,
    }),
    trialSettings: createTrialSettingsService(repos),
    reports: createReportService(repos),
    comparisons: createComparisonService(repos),
    judges: createJudgeService(repos, {
      env: options.scoringEnv,
      outbound: createOutboundClient(options.outbound),
      allowPrivate: options.outbound?.allowPrivate,
      maxBodyBytes: options.outbound?.maxBodyBytes,
      log,
      owner,
    }),
  };
}
export type Services = ReturnType<typeof createServices>;
