import type { CreateUserInput, UpdateUserInput, User } from '../../../schema/user.ts';
import { get, patch, post } from './api.ts';

export const listUsers = () => get<User[]>('/api/users');
export const createUser = (input: CreateUserInput) => post<User>('/api/users', input);
export const updateUser = (id: number, input: UpdateUserInput) => patch<User>(`/api/users/${id}`, input);
