import { z } from 'zod';
import { languageTag, roleSchema, uiLocaleSchema, type Role, type UiLocale } from './common.ts';

export const usernameSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u, { message: 'Letters, digits, dot, dash and underscore only' });

export const passwordSchema = z.string().min(10, { message: 'At least 10 characters' }).max(1024);

export const createUserSchema = z.strictObject({
  username: usernameSchema,
  displayName: z.string().min(1).max(200).optional(),
  role: roleSchema,
  languages: z.array(languageTag).max(50).default([]),
  password: passwordSchema,
  uiLocale: uiLocaleSchema.optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z.strictObject({
  displayName: z.string().min(1).max(200).optional(),
  role: roleSchema.optional(),
  languages: z.array(languageTag).max(50).optional(),
  password: passwordSchema.optional(),
  uiLocale: uiLocaleSchema.optional(),
  disabled: z.boolean().optional(),
});
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const loginSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

export const createTokenSchema = z.strictObject({ name: z.string().min(1).max(100) });

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  languages: string[];
  uiLocale: UiLocale;
  disabled: boolean;
  createdAt: string;
}

export interface SessionInfo {
  user: User;
  csrfToken: string | null;
}

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** PATCH /api/me: what users may change about themselves. */
export const updateProfileSchema = z.strictObject({
  displayName: z.string().min(1).max(200).optional(),
  uiLocale: uiLocaleSchema.optional(),
});
export type UpdateProfileInput = z.infer<typeof updateProfileSchema>;

/** POST /api/me/password: the caller's own password change; the new one follows the usual length rule. */
export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
