import { z } from 'zod';

/**
 * A Hugging Face Hub repository id, `<namespace>/<name>`: letters, digits, `-`, `_`, `.`; neither part starts or
 * ends with `-` or `.`, nor holds `--` or `..`; at most 96 characters each (the Hub's own rules).
 */
const part = z
  .string()
  .min(1)
  .max(96)
  .regex(/^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/)
  .refine((s) => !s.includes('--') && !s.includes('..'));
export const hubRepoIdSchema = z
  .string()
  .max(193)
  .refine(
    (s) => {
      const parts = s.split('/');
      return parts.length === 2 && parts.every((p) => part.safeParse(p).success);
    },
    { message: 'Use a Hub dataset repository id such as my-org/my-dataset' },
  );

/** POST /api/releases/:id/hub */
export const hubPushSchema = z.strictObject({
  repo: hubRepoIdSchema,
  /** Visibility of a repository this push creates; an existing repository keeps its own. */
  private: z.boolean().default(false),
});
export type HubPushInput = z.infer<typeof hubPushSchema>;

/** What a push did. */
export interface HubPushResult {
  repo: string;
  /** The dataset's page on the Hub. */
  url: string;
  /** Whether this push created the repository. */
  created: boolean;
  /** The commit's id and title (which names the version). */
  commit: { oid: string; title: string };
  /** The tag made on that commit: the release's version. */
  tag: string;
  /** Files added or replaced, and files of an earlier push that are not in this release (deleted). */
  uploaded: number;
  deleted: string[];
}
