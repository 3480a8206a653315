import { Router } from 'express';
import { createTokenSchema } from '../../schema/user.ts';
import { caller, requireUser } from '../http/auth.ts';
import { parseInput } from '../errors.ts';
import type { ApiDeps } from './index.ts';
import { idParam } from './params.ts';

/** /api/me/tokens: the caller's own API tokens. The secret is shown once, at creation. */
export function tokensRouter({ services }: ApiDeps) {
  const { auth } = services;
  const router = Router();
  router.use(requireUser);

  router.get('/', async (req, res) => {
    res.json(await auth.listTokens(caller(req).user.id));
  });

  router.post('/', async (req, res) => {
    const { name } = parseInput(createTokenSchema, req.body);
    res.status(201).json(await auth.createToken(caller(req).user.id, name.normalize('NFC')));
  });

  // Someone else's token answers exactly like a missing one, so token ids reveal nothing.
  router.delete('/:id', async (req, res) => {
    await auth.deleteToken(caller(req).user.id, idParam(req.params.id, 'Token'));
    res.status(204).end();
  });

  return router;
}
