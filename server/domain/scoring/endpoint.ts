/**
 * Where a model's requests go and with which key: shared by collection (collect.ts) and "Try on models"
 * (trials.ts). The key is read here and handed only to the outbound request's Authorization header; every
 * refusal names the rule or the variable, never the value.
 */
import { apiKeyValue, MODEL_KEY_ENV_PREFIX, modelKeyEnvName, type Model } from '../../../schema/scoring.ts';
import type { Repositories } from '../../db/repositories.ts';
import { conflict } from '../../errors.ts';

export interface ModelEndpoint {
  /** `{baseUrl}/chat/completions`. */
  url: URL;
  /** The key to send as `Bearer`, or null (a local server needs none). */
  apiKey: string | null;
}

/**
 * The model's chat completions URL and key, or 409: `no-endpoint` (no base URL or model name),
 * `api-key-env-not-allowed`, `api-key-missing`, `api-key-invalid`.
 */
export async function modelEndpoint(
  repos: Repositories,
  model: Model,
  env: Record<string, string | undefined> = process.env,
): Promise<ModelEndpoint> {
  if (!model.baseUrl || !model.endpointModel) {
    throw conflict('no-endpoint', 'Give the model a base URL and an endpoint model name first');
  }
  let apiKey: string | null;
  if (model.apiKeyEnv) {
    // A name saved before the prefix rule: refused here rather than read.
    if (!modelKeyEnvName.safeParse(model.apiKeyEnv).success) {
      throw conflict(
        'api-key-env-not-allowed',
        `The model's apiKeyEnv ${model.apiKeyEnv} is not allowed: keys are read only from variables starting with ${MODEL_KEY_ENV_PREFIX}; set apiKeyEnv again`,
      );
    }
    apiKey = env[model.apiKeyEnv] ?? null;
    if (!apiKey) throw conflict('api-key-missing', `The environment variable ${model.apiKeyEnv} is not set`);
    if (!apiKeyValue.safeParse(apiKey).success) {
      throw conflict(
        'api-key-invalid',
        `The value of ${model.apiKeyEnv} is not a usable API key (printable ASCII without spaces)`,
      );
    }
  } else {
    apiKey = await repos.scoring.storedApiKey(model.id);
    // A key saved before keys were checked: refused rather than sent as a broken header.
    if (apiKey !== null && !apiKeyValue.safeParse(apiKey).success) {
      throw conflict(
        'api-key-invalid',
        'The stored API key is not usable (printable ASCII without spaces); set apiKey again',
      );
    }
  }
  return { url: new URL(`${model.baseUrl.replace(/\/+$/, '')}/chat/completions`), apiKey };
}
