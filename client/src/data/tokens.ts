import type { ApiToken } from '../../../schema/user.ts';
import { del, get, post } from './api.ts';

export const listTokens = () => get<ApiToken[]>('/api/me/tokens');
export const createToken = (name: string) => post<ApiToken & { token: string }>('/api/me/tokens', { name });
export const revokeToken = (id: number) => del(`/api/me/tokens/${id}`);
