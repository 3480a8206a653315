import type { CreateUserInput, UpdateProfileInput, UpdateUserInput, User } from '../../schema/user.ts';
import type { UserRepository } from '../db/repositories.ts';
import type { UserChanges } from '../db/users.ts';
import { conflict, notFound } from '../errors.ts';
import { hashPassword } from './passwords.ts';

const isActiveMaintainer = (u: Pick<User, 'role' | 'disabled'>) => u.role === 'maintainer' && !u.disabled;

const usernameTaken = (username: string) =>
  conflict('username-taken', `The username ${username} is already taken`, {
    issues: [{ path: 'username', code: 'username-taken', message: 'This username is already taken' }],
  });

/** SQLite's unique violation, or PostgreSQL's (SQLSTATE 23505: two instances creating one name at once). */
const isUniqueViolation = (e: unknown) =>
  e instanceof Error && ['SQLITE_CONSTRAINT_UNIQUE', '23505'].includes((e as { code?: string }).code ?? '');

/** Creates an account; the password is stored only as a scrypt hash. Usernames are case-insensitive. */
export async function createUser(users: UserRepository, input: CreateUserInput): Promise<User> {
  if (await users.getByUsername(input.username)) throw usernameTaken(input.username);
  const passwordHash = await hashPassword(input.password);
  try {
    return await users.create({
      username: input.username,
      displayName: input.displayName ?? input.username,
      role: input.role,
      languages: [...new Set(input.languages)],
      passwordHash,
      uiLocale: input.uiLocale ?? 'en',
    });
  } catch (e) {
    // Someone took the name while the password was being hashed.
    if (isUniqueViolation(e)) throw usernameTaken(input.username);
    throw e;
  }
}

/**
 * Changes an account. A new password or disabling ends the user's sessions and revokes their API
 * tokens (the repository does that); the instance must always keep at least one active maintainer.
 */
export async function updateUser(users: UserRepository, id: number, input: UpdateUserInput): Promise<User> {
  if (!(await users.get(id))) throw notFound('User');
  const changes: UserChanges = {
    displayName: input.displayName,
    role: input.role,
    languages: input.languages && [...new Set(input.languages)],
    uiLocale: input.uiLocale,
    disabled: input.disabled,
  };
  if (input.password !== undefined) changes.passwordHash = await hashPassword(input.password);
  // Checked after the (slow, async) hashing and right before the write, with no await in between,
  // so no other request can interleave.
  const current = await users.get(id);
  if (!current) throw notFound('User');
  const after = { role: changes.role ?? current.role, disabled: changes.disabled ?? current.disabled };
  if (
    isActiveMaintainer(current) &&
    !isActiveMaintainer(after) &&
    (await users.countActiveMaintainers()) <= 1
  ) {
    throw conflict(
      'last-maintainer',
      'This is the last active maintainer; make someone else a maintainer first',
    );
  }
  return (await users.update(id, changes))!;
}

/** Sets a new password (the CLI's set-password); ends the user's sessions and revokes their API tokens. */
export async function setPassword(users: UserRepository, username: string, password: string): Promise<User> {
  const user = await users.getByUsername(username);
  if (!user) throw notFound(`User ${username}`);
  return updateUser(users, user.id, { password });
}

/** Accounts: maintainers administer them (the routes check the role); everyone changes their own profile. */
export function createUserService(users: UserRepository) {
  return {
    list: async (): Promise<User[]> => await users.list(),

    async get(id: number): Promise<User> {
      const user = await users.get(id);
      if (!user) throw notFound('User');
      return user;
    },

    create: (input: CreateUserInput) => createUser(users, input),

    update: (id: number, input: UpdateUserInput) => updateUser(users, id, input),

    /** The caller's own display name and interface language; roles and languages are a maintainer's to change. */
    async updateProfile(id: number, changes: UpdateProfileInput): Promise<User> {
      const user = await users.update(id, changes);
      if (!user) throw notFound('User');
      return user;
    },
  };
}
export type UserService = ReturnType<typeof createUserService>;
