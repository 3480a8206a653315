import { z } from 'zod';
import { DEFAULT_DB_PATH, DEFAULT_RELEASES_DIR } from './default-paths.ts';
import { parseTrustProxy } from './http/trust-proxy.ts';

/** Configuration from the environment, validated once at start. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  CS_DB_PATH: z.string().default(DEFAULT_DB_PATH),
  // PostgreSQL instead of the SQLite file (issue 12; read, not yet used: the PostgreSQL repositories are on their
  // way). Checked by its scheme only, and never echoed: it may carry a password.
  CS_DATABASE_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      if (/^postgres(?:ql)?:\/\/\S+$/.test(v)) return v;
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a PostgreSQL URL, postgres://… or postgresql://… (a SQLite file is set with CS_DB_PATH)',
      });
      return z.NEVER;
    }),
  CS_RELEASES_DIR: z.string().default(DEFAULT_RELEASES_DIR),
  CS_ADMIN_USERNAME: z.string().default('admin'),
  CS_ADMIN_PASSWORD: z.string().min(10).optional(),
  CS_SECURE_COOKIES: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  // Requests to model endpoints on loopback or private networks (a local vLLM/Ollama); link-local never.
  CS_OUTBOUND_ALLOW_PRIVATE: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  // The Hugging Face Hub that releases are pushed to (an operator's setting: requests go to this host only), and a
  // write token for it. The token is never printed, logged or returned; a bad one stops the server at start
  // without being echoed.
  CS_HF_ENDPOINT: z.url({ protocol: /^https?$/ }).default('https://huggingface.co'),
  CS_HF_TOKEN: z
    .string()
    .regex(/^hf_[A-Za-z0-9]+$/, { message: 'A Hugging Face token starts with hf_' })
    .optional(),
  // Which reverse proxies' X-Forwarded-For gives the client address (login rate limits): none by default.
  CS_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }),
});

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
