import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { UiLocale } from '../../../schema/common.ts';
import { en, type MessageKey } from './en.ts';
import { ko } from './ko.ts';

export type { MessageKey };

const catalogs: Record<UiLocale, Record<MessageKey, string>> = { en, ko };
const CHANGE = 'cs-locale-change';
let current: UiLocale = 'en';

export const getLocale = (): UiLocale => current;

export function setLocale(locale: UiLocale): void {
  if (locale === current) return;
  current = locale;
  document.documentElement.lang = locale;
  window.dispatchEvent(new Event(CHANGE));
}

/** The interface string `key` in the current locale, with `{name}` placeholders filled in. */
export function msg(key: MessageKey, params?: Record<string, string | number>): string {
  const template = catalogs[current][key] ?? en[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Re-renders its host when the interface language changes. */
export class I18nController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  private readonly onChange = () => this.host.requestUpdate();
  hostConnected(): void {
    window.addEventListener(CHANGE, this.onChange);
  }
  hostDisconnected(): void {
    window.removeEventListener(CHANGE, this.onChange);
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
