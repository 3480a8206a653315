import { Router } from 'express';
import type { ApiDeps } from './index.ts';

// STUB: to be written.
export function itemsRouter(_deps: ApiDeps) {
  return Router();
}
