import type { ItemFieldName, ItemFields } from '../../../schema/item.ts';

/** Detail of the `field-change` event that every editor part fires on each edit. */
export interface FieldChange<K extends ItemFieldName = ItemFieldName> {
  field: K;
  value: ItemFields[K];
}

export function fieldChange<K extends ItemFieldName>(
  field: K,
  value: ItemFields[K],
): CustomEvent<FieldChange> {
  return new CustomEvent<FieldChange>('field-change', {
    detail: { field, value },
    bubbles: true,
    composed: true,
  });
}

/**
 * Focus left a control: the ids along the event's path, innermost first. A `focusout` between two controls of
 * one shadow root never reaches its host, so each part of the editor re-sends it as this composed event.
 */
export function fieldBlur(e: Event): CustomEvent<string[]> {
  const ids = e
    .composedPath()
    .filter((n): n is Element => n instanceof Element && n.id !== '')
    .map((n) => n.id);
  return new CustomEvent<string[]>('field-blur', { detail: ids, bubbles: true, composed: true });
}

/** Problems by field path ("question", "options.2"): what stops submission or saving. */
export type Problems = Record<string, string>;

declare global {
  interface HTMLElementEventMap {
    'field-change': CustomEvent<FieldChange>;
    'field-blur': CustomEvent<string[]>;
  }
}
