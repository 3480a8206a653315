import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { itemFormats, itemKinds, itemSorts, itemStatuses } from '../../../schema/item.ts';
import type { User } from '../../../schema/user.ts';
import './cs-dataset-picker.ts';
import { listUsers } from '../data/users.ts';
import { I18nController, msg, type MessageKey } from '../i18n/index.ts';
import './cs-language-picker.ts';
import { shared } from '../styles/shared.ts';
import './cs-taxonomy-select.ts';
import { userContext } from '../context.ts';

export type FilterValues = Record<string, string>;

const FILTER_KEYS = [
  'q',
  'dataset',
  'language',
  'status',
  'kind',
  'format',
  'category',
  'author',
  'trials',
  'sort',
];

/**
 * The item-list filter bar. Holds its own field values (so typing in the search box is never
 * overwritten by a re-render) and fires `filters-change` with all non-empty values, the search
 * debounced.
 */
@customElement('cs-item-filters')
export class CsItemFilters extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      .bar {
        display: grid;
        gap: 0.6rem 0.75rem;
        grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr));
        align-items: end;
      }
      .search {
        grid-column: 1 / -1;
      }
    `,
  ];

  /** The signed-in user (provided by cs-app). */
  @consume({ context: userContext, subscribe: true }) @state() private _user!: User;
  /** The initial values (from the URL). */
  @property({ attribute: false }) initial: FilterValues = {};

  @state() private _values: FilterValues = {};
  @state() private _users: User[] = [];
  private _timer: ReturnType<typeof setTimeout> | undefined;
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    this._values = { ...this.initial };
    if (this._user.role === 'maintainer')
      void listUsers()
        .then((u) => (this._users = u))
        .catch(() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._timer);
  }

  private _set(key: string, value: string | null, debounce = false) {
    const next = { ...this._values };
    if (value) next[key] = value;
    else delete next[key];
    this._values = next;
    clearTimeout(this._timer);
    const fire = () =>
      this.dispatchEvent(new CustomEvent<FilterValues>('filters-change', { detail: { ...this._values } }));
    if (debounce) this._timer = setTimeout(fire, 300);
    else fire();
  }

  private _select(key: string, label: string, options: [string, string][]) {
    const id = `f-${key}`;
    return html`<div>
      <label for=${id}>${label}</label>
      <select id=${id} @change=${(e: Event) => this._set(key, (e.target as HTMLSelectElement).value)}>
        ${key === 'sort' ? nothing : html`<option value="">${msg('filterAny')}</option>`}
        ${options.map(([v, l]) => html`<option value=${v} ?selected=${this._values[key] === v}>${l}</option>`)}
      </select>
    </div>`;
  }

  override render() {
    const v = this._values;
    const languages = this._user.languages;
    const authors: [string, string][] =
      this._user.role === 'maintainer'
        ? this._users.map((u) => [String(u.id), u.displayName])
        : [[String(this._user.id), msg('filterMine')]];
    return html`<div class="bar" role="search">
      <div class="search">
        <label for="f-q" class="visually-hidden">${msg('searchItems')}</label>
        <input
          id="f-q"
          type="search"
          dir="auto"
          placeholder=${msg('searchItems')}
          .value=${v.q ?? ''}
          @input=${(e: Event) => this._set('q', (e.target as HTMLInputElement).value, true)}
        />
      </div>
      <cs-dataset-picker
        select-id="f-dataset"
        any-label=${msg('filterAny')}
        .value=${v.dataset ? Number(v.dataset) : null}
        @dataset-change=${(e: CustomEvent<number | null>) =>
          this._set('dataset', e.detail === null ? null : String(e.detail))}
      ></cs-dataset-picker>
      <cs-language-picker
        .label=${msg('filterLanguage')}
        .emptyLabel=${msg('filterAny')}
        .choices=${this._user.role === 'maintainer' ? null : languages}
        .value=${v.language ? [v.language] : []}
        @value-change=${(e: CustomEvent<string[]>) => this._set('language', e.detail[0] ?? '')}
      ></cs-language-picker>
      ${this._select(
        'status',
        msg('filterStatus'),
        itemStatuses.map((s) => [s, msg(`status_${s}`)]),
      )}
      ${this._select(
        'kind',
        msg('filterKind'),
        itemKinds.map((k) => [k, msg(`kind_${k}`)]),
      )}
      ${this._select(
        'format',
        msg('filterFormat'),
        itemFormats.map((f) => [f, msg(`format_${f}`)]),
      )}
      <cs-taxonomy-select
        taxonomyId="socio-cultural"
        .label=${msg('filterCategory')}
        .emptyLabel=${msg('filterAny')}
        .value=${v.category ?? null}
        @value-change=${(e: CustomEvent<string | null>) => this._set('category', e.detail)}
      ></cs-taxonomy-select>
      ${this._select('author', msg('filterAuthor'), authors)}
      ${this._select('trials', msg('filterTrials'), [['unsolved', msg('filterTrialsUnsolved')]])}
      ${this._select(
        'sort',
        msg('sortBy'),
        itemSorts.map((s) => [s, msg(`sort_${s}` as MessageKey)]),
      )}
    </div>`;
  }
}

/** The filter values present in a URL query. */
export function filtersFromQuery(query: URLSearchParams): FilterValues {
  const values: FilterValues = {};
  for (const k of FILTER_KEYS) {
    const v = query.get(k);
    if (v) values[k] = v;
  }
  return values;
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-item-filters': CsItemFilters;
  }
}
