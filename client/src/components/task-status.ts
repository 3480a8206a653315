import type { Task } from '@lit/task';
import { html, nothing, type TemplateResult } from 'lit';
import { errorText } from '../data/api.ts';
import { msg } from '../i18n/index.ts';

/**
 * A data-loading task rendered the same way on every page: "Loading…" while pending, the error in the interface
 * language when it failed, `complete` with its value otherwise. With `keep`, the last value stays on screen while
 * the next one loads (a list being filtered), instead of "Loading…".
 */
export function renderTask<T>(
  task: Task<readonly unknown[], T>,
  complete: (value: T) => unknown,
  options: { keep?: boolean } = {},
): unknown {
  return task.render({
    initial: () => nothing,
    pending: () => (options.keep && task.value !== undefined ? complete(task.value) : loading()),
    error: (err) => failed(err),
    complete,
  });
}

/** The pending state of a page or panel. */
export const loading = (): TemplateResult => html`<p class="muted" role="status">${msg('loading')}</p>`;

/** The error state of a page or panel: what failed, in the interface language. */
export const failed = (err: unknown): TemplateResult =>
  html`<p class="notice error" role="alert">${errorText(err)}</p>`;
