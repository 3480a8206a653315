import type {
  CreateItemInput,
  Item,
  ItemListPage,
  ItemListQuery,
  ItemRevision,
  ItemRevisionWithSnapshot,
  ItemSplit,
  SimilarItem,
  UpdateItemInput,
} from '../../../schema/item.ts';
import { get, patch, post, put, withQuery, type RequestOptions } from './api.ts';

export type ItemFilters = Partial<ItemListQuery>;
export type { SimilarItem };

export const listItems = (query: ItemFilters, options?: RequestOptions) =>
  get<ItemListPage>(withQuery('/api/items', query), options);

export const getItem = (id: number) => get<Item>(`/api/items/${id}`);

export const createItem = (input: CreateItemInput) => post<Item>('/api/items', input);

export const updateItem = (id: number, input: UpdateItemInput, options?: RequestOptions) =>
  patch<Item>(`/api/items/${id}`, input, options);

export const submitItem = (id: number, version: number) =>
  post<Item>(`/api/items/${id}/submit`, { version });

export const similarItems = (
  q: { dataset: number; language: string; q: string; exclude?: number },
  options?: RequestOptions,
) => get<{ items: SimilarItem[] }>(withQuery('/api/items/similar', q), options);

export const listRevisions = (id: number) => get<ItemRevision[]>(`/api/items/${id}/revisions`);

export const getRevision = (id: number, version: number) =>
  get<ItemRevisionWithSnapshot>(`/api/items/${id}/revisions/${version}`);

export const restoreRevision = (id: number, version: number, currentVersion: number) =>
  post<Item>(`/api/items/${id}/revisions/${version}/restore`, { version: currentVersion });

/** Maintainers: the item's release split (`dev`: a few-shot exemplar). */
export const setItemSplit = (id: number, split: ItemSplit) =>
  put<{ id: number; uid: string; split: ItemSplit; version: number }>(`/api/items/${id}/split`, { split });
