import { createContext } from '@lit/context';
import type { UiLocale } from '../../schema/common.ts';
import type { User } from '../../schema/user.ts';
import type { msg } from './i18n/index.ts';

/** The signed-in user, provided by cs-app once signed in (the pages under it render only then); consume it instead of passing it down. */
export const userContext = createContext<User>(Symbol('cs-user'));

/** The interface language and its message function; a new value (a language change) re-renders every consumer. */
export interface I18n {
  readonly locale: UiLocale;
  readonly msg: typeof msg;
}

/** Provided by cs-app; every component consumes it through `I18nController`. */
export const i18nContext = createContext<I18n>(Symbol('cs-i18n'));
