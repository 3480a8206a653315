import type { ApiToken } from '../../../schema/user.ts';
import { del, get, post, type RequestOptions } from './api.ts';

export const listTokens = (options?: RequestOptions) => get<ApiToken[]>('/api/me/tokens', options);
export const createToken = (name: string) => post<ApiToken & { token: string }>('/api/me/tokens', { name });
export const revokeToken = (id: number) => del(`/api/me/tokens/${id}`);
