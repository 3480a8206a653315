import type { CreateUserInput, UpdateUserInput, User } from '../../../schema/user.ts';
import { get, patch, post, type RequestOptions } from './api.ts';

export const listUsers = (options?: RequestOptions) => get<User[]>('/api/users', options);
export const createUser = (input: CreateUserInput) => post<User>('/api/users', input);
export const updateUser = (id: number, input: UpdateUserInput) => patch<User>(`/api/users/${id}`, input);
