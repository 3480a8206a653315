import { expect } from 'vitest';
import { scratchDir } from '../helpers/app.ts';

/** The two screens every page is tried on: a laptop and a phone. */
export const VIEWPORTS = [
  { name: 'desktop', width: 1366, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/**
 * Screenshots to look at while working, kept outside the repository: in CS_SHOTS_DIR if set, else in the test
 * file's temp folder, removed after the file.
 */
export const SHOTS = process.env.CS_SHOTS_DIR ?? scratchDir('shots-');

/** Whether the element has focus within its own root (the tests' tsconfig has no DOM types). */
export const focused = (el: unknown) =>
  (el as { getRootNode(): { activeElement: unknown } }).getRootNode().activeElement === el;

/** `expect.poll` with room for a loaded machine (its default gives up after one second). */
export const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });
