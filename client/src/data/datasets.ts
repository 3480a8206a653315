import type { Dataset } from '../../../schema/dataset.ts';
import { get, type RequestOptions } from './api.ts';

export const listDatasets = (options?: RequestOptions): Promise<Dataset[]> => get<Dataset[]>('/api/datasets', options);
