import { Router } from 'express';
import { changePasswordSchema, updateProfileSchema } from '../../schema/user.ts';
import { caller, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';

/**
 * /api/me: the caller's own profile (display name, interface language) and password. Roles and
 * languages are a maintainer's to change.
 */
export function meRouter({ services }: ApiDeps) {
  const { auth, users } = services;
  const router = Router();
  router.use(requireUser);

  router.get('/', (req, res) => {
    res.json(caller(req).user);
  });

  router.patch('/', async (req, res) => {
    const changes = parseInput(updateProfileSchema, req.body);
    res.json(await users.updateProfile(caller(req).user.id, changes));
  });

  router.post('/password', async (req, res) => {
    const { currentPassword, newPassword } = parseInput(changePasswordSchema, req.body);
    await auth.changePassword(caller(req), currentPassword, newPassword);
    res.status(204).end();
  });

  return router;
}
