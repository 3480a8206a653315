import { afterAll } from 'vitest';
import { removeTestDatabases } from './helpers/app.ts';

// Every test file leaves its temp folder of databases behind it removed.
afterAll(removeTestDatabases);
