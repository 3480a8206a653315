import { Router } from 'express';
import { createUserSchema, updateUserSchema } from '../../schema/user.ts';
import { createUser, updateUser } from '../domain/users.ts';
import { requireRole } from '../http/auth.ts';
import { notFound, parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/users: account administration, maintainers only. Password hashes never leave the repository. */
export function usersRouter({ repos }: ApiDeps) {
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', (_req, res) => {
    res.json(repos.users.list());
  });

  router.post('/', async (req, res) => {
    const input = parseInput(createUserSchema, req.body);
    res.status(201).json(await createUser(repos.users, input));
  });

  router.get('/:id', (req, res) => {
    const user = repos.users.get(idParam(req.params.id, 'User'));
    if (!user) throw notFound('User');
    res.json(user);
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id, 'User');
    const input = parseInput(updateUserSchema, req.body);
    res.json(await updateUser(repos.users, id, input));
  });

  return router;
}
