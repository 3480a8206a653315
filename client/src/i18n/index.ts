import { ContextConsumer } from '@lit/context';
import type { ReactiveElement } from 'lit';
import { i18nContext } from '../context.ts';
import type { UiLocale } from '../../../schema/common.ts';
import { en, type Catalog, type MessageKey, type PluralForms } from './en.ts';
import { ko } from './ko.ts';

export type { MessageKey };

const catalogs: Record<UiLocale, Catalog> = { en, ko };
let current: UiLocale = 'en';

export const getLocale = (): UiLocale => current;

/** Sets the language `msg` uses; cs-app then provides it (`i18nContext`), which re-renders the components. */
export function setLocale(locale: UiLocale): void {
  current = locale;
  document.documentElement.lang = locale;
}

// Placeholder parameters are typed from the English catalog: `{name}` in a template makes `name` a required
// parameter, and a plural message (forms by Intl.PluralRules category) also requires the number `count`.
type Placeholders<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
type Texts<T> = T extends string ? T : T[keyof T];
type Params<T> = Record<Placeholders<Texts<T>>, string | number> &
  (T extends string ? unknown : { count: number });
/** The parameters of message `K`: none, or an object with exactly its placeholders. */
export type MessageArgs<K extends MessageKey> = K extends MessageKey
  ? [Placeholders<Texts<(typeof en)[K]>>] extends [never]
    ? (typeof en)[K] extends string
      ? []
      : [params: { count: number }]
    : [params: Params<(typeof en)[K]>]
  : never;

const pluralRules = new Map<string, Intl.PluralRules>();

/** The form of a plural message for `count` in the current locale (`other` when the catalog lacks the category). */
function pluralForm(forms: PluralForms, count: number): string {
  let rules = pluralRules.get(current);
  if (!rules) pluralRules.set(current, (rules = new Intl.PluralRules(current)));
  return forms[rules.select(count)] ?? forms.other;
}

/**
 * The interface string `key` in the current locale, with `{name}` placeholders filled in; a plural message
 * takes the form `Intl.PluralRules` picks for `params.count` ("1 item", "2 items"; Korean has one form).
 */
export function msg<K extends MessageKey>(key: K, ...args: MessageArgs<K>): string {
  const params = args[0] as Record<string, string | number> | undefined;
  const entry = catalogs[current][key] ?? en[key];
  const template = typeof entry === 'string' ? entry : pluralForm(entry, Number(params?.['count'] ?? 0));
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/**
 * A component's view of the interface language: it consumes `i18nContext` (provided once by cs-app), so its host
 * re-renders when the language changes.
 */
export class I18nController {
  private readonly consumer: ContextConsumer<typeof i18nContext, ReactiveElement>;
  constructor(host: ReactiveElement) {
    this.consumer = new ContextConsumer(host, { context: i18nContext, subscribe: true });
  }
  get locale(): UiLocale {
    return this.consumer.value?.locale ?? current;
  }
  /** The message function (`msg`) of the language provided. */
  get msg(): typeof msg {
    return this.consumer.value?.msg ?? msg;
  }
}

/** "3 minutes ago" in the interface language. */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const rtf = new Intl.RelativeTimeFormat(current, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(Math.round(seconds), 'second');
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 26 * 86400) return rtf.format(Math.round(seconds / 86400), 'day');
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium' }).format(new Date(iso));
}

export const dateTime = (iso: string) =>
  new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** The name of a language tag in the interface language ("ar" → "Arabic" / "아랍어"). */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames([current], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ks', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** The writing direction of a language, for laying out rows (text itself uses dir="auto"). */
export function textDirection(tag: string): 'rtl' | 'ltr' {
  try {
    const locale = new Intl.Locale(tag) as Intl.Locale & {
      getTextInfo?: () => { direction?: string };
      textInfo?: { direction?: string };
    };
    const dir = locale.getTextInfo?.().direction ?? locale.textInfo?.direction;
    if (dir === 'rtl' || dir === 'ltr') return dir;
    return RTL_LANGUAGES.has(locale.language) ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}
