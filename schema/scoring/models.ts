import { z } from 'zod';
import { countryCode, text } from '../common.ts';

/** The only environment variables a model may name for its key: the server's other secrets stay out of reach. */
export const MODEL_KEY_ENV_PREFIX = 'CS_MODEL_KEY_';

export const modelKeyEnvName = z
  .string()
  .max(100)
  .regex(/^CS_MODEL_KEY_[A-Z0-9_]+$/, {
    message: `apiKeyEnv must name an environment variable starting with ${MODEL_KEY_ENV_PREFIX}, e.g. ${MODEL_KEY_ENV_PREFIX}OPENAI`,
  });

/** What can go in an Authorization header: printable ASCII, no spaces (so no header injection). */
export const apiKeyValue = z
  .string()
  .max(500)
  .regex(/^[\x21-\x7e]+$/, { message: 'apiKey must be printable ASCII without spaces' });

/** An endpoint's base URL: http or https, and no user name or password in it. */
const baseUrl = z
  .url({ protocol: /^https?$/, message: 'baseUrl must be an http:// or https:// URL' })
  .max(2_000)
  .refine(
    (u) => {
      const parsed = new URL(u);
      return parsed.username === '' && parsed.password === '';
    },
    { message: 'baseUrl may not contain a user name or password; give the key in apiKey or apiKeyEnv' },
  );

export const nonBlank = (max: number, message: string) =>
  text(max).refine((s) => s.trim().length > 0, { message });

/** The endpoint part of a model: an OpenAI-compatible server (vLLM, Ollama, hosted APIs). */
export const modelEndpointSchema = z.strictObject({
  /** Base URL up to (not including) `/chat/completions`, e.g. `http://localhost:8000/v1`. */
  baseUrl: baseUrl.nullable().default(null),
  /** The model name the endpoint expects in `model`. */
  endpointModel: text(200).nullable().default(null),
  /** Name of the environment variable (CS_MODEL_KEY_…) that holds the API key (the key itself is never stored then). */
  apiKeyEnv: modelKeyEnvName.nullable().default(null),
  /** The API key itself, stored write-only: no answer ever contains it. */
  apiKey: apiKeyValue.nullable().optional(),
});

/** POST /api/models */
export const createModelSchema = z
  .strictObject({
    name: nonBlank(200, 'Give the model a name'),
    developer: nonBlank(200, 'Name the developer'),
    country: countryCode.nullable().default(null),
    sovereign: z.boolean().default(false),
  })
  .extend(modelEndpointSchema.shape);
export type CreateModelInput = z.infer<typeof createModelSchema>;
export type CreateModelRequest = z.input<typeof createModelSchema>;

/** PATCH /api/models/:id: any field; `apiKey: null` forgets a stored key. */
export const updateModelSchema = z.strictObject({
  name: nonBlank(200, 'Give the model a name').optional(),
  developer: nonBlank(200, 'Name the developer').optional(),
  country: countryCode.nullable().optional(),
  sovereign: z.boolean().optional(),
  /** A new scheme, host or port drops the stored key and apiKeyEnv unless this request gives them again. */
  baseUrl: baseUrl.nullable().optional(),
  endpointModel: text(200).nullable().optional(),
  apiKeyEnv: modelKeyEnvName.nullable().optional(),
  apiKey: apiKeyValue.nullable().optional(),
});
export type UpdateModelInput = z.infer<typeof updateModelSchema>;

export interface Model {
  id: number;
  name: string;
  developer: string;
  country: string | null;
  sovereign: boolean;
  baseUrl: string | null;
  endpointModel: string | null;
  apiKeyEnv: string | null;
  /** Whether a key is stored (the key itself is never returned). */
  hasApiKey: boolean;
  createdAt: string;
}
