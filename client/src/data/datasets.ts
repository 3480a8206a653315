import type { Dataset } from '../../../schema/dataset.ts';
import { get } from './api.ts';

let cache: Promise<Dataset[]> | undefined;

export function listDatasets(): Promise<Dataset[]> {
  if (!cache) {
    cache = get<Dataset[]>('/api/datasets');
    cache.catch(() => (cache = undefined));
  }
  return cache;
}
