import { Router } from 'express';
import { createUserSchema, updateUserSchema } from '../../schema/user.ts';
import { requireRole } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/users: account administration, maintainers only. Password hashes never leave the repository. */
export function usersRouter({ services }: ApiDeps) {
  const { users } = services;
  const router = Router();
  router.use(requireRole('maintainer'));

  router.get('/', async (_req, res) => {
    res.json(await users.list());
  });

  router.post('/', async (req, res) => {
    const input = parseInput(createUserSchema, req.body);
    res.status(201).json(await users.create(input));
  });

  router.get('/:id', async (req, res) => {
    res.json(await users.get(idParam(req.params.id, 'User')));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req.params.id, 'User');
    const input = parseInput(updateUserSchema, req.body);
    res.json(await users.update(id, input));
  });

  return router;
}
