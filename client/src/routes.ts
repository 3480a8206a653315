import { html, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { Role } from '../../schema/common.ts';
import type { MessageKey } from './i18n/index.ts';
// The shell's pages are in the entry bundle, which the service worker precaches: the editor opens offline.
import './components/cs-item-editor.ts';
import './components/cs-item-list.ts';
import './components/cs-new-item.ts';

/** What a matched URL gives a page: its `:name` path parameters (positive integers) and the query string. */
export interface PageArgs {
  readonly params: Readonly<Record<string, number>>;
  readonly query: URLSearchParams;
}

/** One page of the application: the one place that says its URL, its code, who sees it and how it is rendered. */
export interface Page {
  readonly name: string;
  /** Path patterns, the first one canonical; a `:name` segment matches a positive integer. */
  readonly paths: readonly string[];
  /** Roles that may open it; anyone else gets the "not for your role" page. Everyone when absent. */
  readonly roles?: readonly Role[];
  /** Loads the page's element on demand (its own chunk); absent for the shell's pages. */
  readonly load?: () => Promise<unknown>;
  /** Its link: in the main navigation or the account menu, for `roles` (default: the page's roles). */
  readonly nav?: {
    readonly label: MessageKey;
    readonly place?: 'main' | 'account';
    readonly roles?: readonly Role[];
  };
  /** The page whose link is current while this one is open (an item → Items). */
  readonly navUnder?: string;
  readonly render: (args: PageArgs) => TemplateResult | ReturnType<typeof keyed>;
}

const REVIEWERS: readonly Role[] = ['reviewer', 'maintainer'];
const MAINTAINERS: readonly Role[] = ['maintainer'];

/** Every page, in the order of the navigation. Adding a page is adding an entry here. */
export const pages: readonly Page[] = [
  {
    name: 'items',
    paths: ['/items', '/'],
    nav: { label: 'navItems' },
    render: ({ query }) => html`<cs-item-list .query=${query}></cs-item-list>`,
  },
  {
    name: 'new-item',
    paths: ['/items/new'],
    nav: { label: 'navNewItem' },
    render: () => html`<cs-new-item></cs-new-item>`,
  },
  {
    name: 'item',
    paths: ['/items/:id'],
    navUnder: 'items',
    render: ({ params }) =>
      keyed(params['id'], html`<cs-item-editor .itemId=${params['id']}></cs-item-editor>`),
  },
  {
    name: 'validate',
    paths: ['/validate'],
    load: () => import('./components/cs-validation-page.ts'),
    nav: { label: 'navValidate' },
    render: () => html`<cs-validation-page></cs-validation-page>`,
  },
  {
    name: 'review-queue',
    paths: ['/review'],
    roles: REVIEWERS,
    load: () => import('./components/cs-review-queue.ts'),
    nav: { label: 'navReview' },
    render: () => html`<cs-review-queue></cs-review-queue>`,
  },
  {
    name: 'review-item',
    paths: ['/review/:id'],
    roles: REVIEWERS,
    load: () => import('./components/cs-review-item.ts'),
    navUnder: 'review-queue',
    render: ({ params }) =>
      keyed(params['id'], html`<cs-review-item .itemId=${params['id']}></cs-review-item>`),
  },
  {
    name: 'agreement',
    paths: ['/agreement'],
    roles: REVIEWERS,
    load: () => import('./components/cs-agreement-page.ts'),
    // Reviewers reach it from their queue; the navigation keeps it for maintainers.
    nav: { label: 'navAgreement', roles: MAINTAINERS },
    render: () => html`<cs-agreement-page></cs-agreement-page>`,
  },
  {
    name: 'taxonomies',
    paths: ['/admin/taxonomies'],
    roles: MAINTAINERS,
    load: () => import('./components/cs-taxonomies-page.ts'),
    nav: { label: 'navTaxonomies' },
    render: () => html`<cs-taxonomies-page></cs-taxonomies-page>`,
  },
  {
    name: 'users',
    paths: ['/admin/users'],
    roles: MAINTAINERS,
    load: () => import('./components/cs-users-page.ts'),
    nav: { label: 'navUsers' },
    render: () => html`<cs-users-page></cs-users-page>`,
  },
  {
    name: 'import',
    paths: ['/admin/import'],
    roles: MAINTAINERS,
    load: () => import('./components/cs-import-page.ts'),
    nav: { label: 'navImport' },
    render: () => html`<cs-import-page></cs-import-page>`,
  },
  {
    name: 'releases',
    paths: ['/releases'],
    load: () => import('./components/cs-releases-page.ts'),
    nav: { label: 'navReleases' },
    render: () => html`<cs-releases-page></cs-releases-page>`,
  },
  {
    name: 'rate',
    paths: ['/rate'],
    load: () => import('./components/cs-rating-page.ts'),
    nav: { label: 'navRate' },
    render: () => html`<cs-rating-page></cs-rating-page>`,
  },
  {
    name: 'scoring',
    paths: ['/scoring'],
    roles: MAINTAINERS,
    load: () => import('./components/cs-runs-page.ts'),
    nav: { label: 'navScoring' },
    render: () => html`<cs-runs-page></cs-runs-page>`,
  },
  {
    name: 'report',
    paths: ['/scoring/report'],
    roles: MAINTAINERS,
    load: () => import('./components/cs-report-page.ts'),
    nav: { label: 'navReport' },
    render: () => html`<cs-report-page></cs-report-page>`,
  },
  {
    name: 'judges',
    paths: ['/scoring/judges'],
    roles: MAINTAINERS,
    load: () => import('./components/cs-judge-page.ts'),
    nav: { label: 'navJudges' },
    render: () => html`<cs-judge-page></cs-judge-page>`,
  },
  {
    name: 'tokens',
    paths: ['/account/tokens'],
    load: () => import('./components/cs-tokens-page.ts'),
    nav: { label: 'navTokens', place: 'account' },
    render: () => html`<cs-tokens-page></cs-tokens-page>`,
  },
  {
    name: 'password',
    paths: ['/account/password'],
    load: () => import('./components/cs-password-page.ts'),
    nav: { label: 'navPassword', place: 'account' },
    render: () => html`<cs-password-page></cs-password-page>`,
  },
];
