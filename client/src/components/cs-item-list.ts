import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ItemListPage, ItemSummary, SearchField } from '../../../schema/item.ts';
import { nodeLabel, type TaxonomyNode } from '../../../schema/taxonomy.ts';
import { listItems, type ItemFilters } from '../data/items.ts';
import { listTaxonomies } from '../data/taxonomies.ts';
import { I18nController, getLocale, msg, relativeTime } from '../i18n/index.ts';
import { navigate } from '../router.ts';
import { shared } from '../styles/shared.ts';
import { filtersFromQuery, type FilterValues } from './cs-item-filters.ts';
import './cs-item-filters.ts';
import './cs-status-chip.ts';
import { renderTask } from './task-status.ts';
import { markedText } from './marked-text.ts';

const PAGE_SIZE = 50;

/** The label of a field a search matched in, besides the question and its gloss. */
const fieldLabel = (field: SearchField): string =>
  ({
    question: msg('colQuestion'),
    questionEn: msg('matchQuestionEn'),
    options: msg('fieldOptions'),
    notes: msg('fieldNotes'),
    referenceAnswer: msg('fieldReferenceAnswer'),
    answerEn: msg('matchAnswerEn'),
    acceptedAnswers: msg('fieldAcceptedAnswers'),
    rationale: msg('fieldRationale'),
  })[field];

/** The item list: filters, search, sorting, paging; a row opens the editor. */
@customElement('cs-item-list')
export class CsItemList extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      .head {
        display: flex;
        align-items: baseline;
        gap: 1rem;
      }
      .head a.primary {
        margin-inline-start: auto;
        background: var(--cs-accent);
        color: #fff;
        text-decoration: none;
        padding: 0.4rem 0.85rem;
        border-radius: var(--cs-radius);
        font-size: 0.9rem;
      }
      table {
        inline-size: 100%;
        border-collapse: collapse;
        background: var(--cs-surface);
        border: 1px solid var(--cs-border);
        border-radius: var(--cs-radius);
        overflow: hidden;
        font-size: 0.9rem;
      }
      th {
        text-align: start;
        font-size: 0.75rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--cs-muted);
        font-weight: 600;
        background: var(--cs-surface-2);
        padding: 0.5rem 0.75rem;
        border-block-end: 1px solid var(--cs-border);
      }
      td {
        padding: 0.55rem 0.75rem;
        border-block-end: 1px solid var(--cs-border);
        vertical-align: top;
      }
      tbody tr {
        cursor: pointer;
      }
      tbody tr:hover {
        background: var(--cs-accent-soft);
      }
      tbody tr:last-child td {
        border-block-end: none;
      }
      td.question {
        inline-size: 55%;
      }
      td.question a {
        color: var(--cs-text);
        text-decoration: none;
        display: block;
        font-size: 0.95rem;
        unicode-bidi: plaintext;
      }
      td.question .gloss {
        color: var(--cs-muted);
        font-size: 0.82rem;
        display: block;
        margin-block-start: 0.1rem;
      }
      td.question .match {
        display: block;
        font-size: 0.82rem;
        margin-block-start: 0.15rem;
        unicode-bidi: plaintext;
      }
      td.question .match .field {
        color: var(--cs-muted);
        margin-inline-end: 0.4rem;
      }
      /* Same font as the text around it (no bold): Arabic and other joined scripts keep their letters
         joined across the mark's edges. */
      mark {
        background: var(--cs-accent-soft);
        color: inherit;
        border-radius: 2px;
        box-shadow: 0 0 0 1px var(--cs-accent);
      }
      td.nowrap {
        white-space: nowrap;
      }
      /* Phones: each item is a card (question first, then language, status, category, author, time). */
      @media (max-width: 40rem) {
        table,
        tbody,
        tr,
        td {
          display: block;
        }
        table {
          background: none;
          border: none;
        }
        thead {
          position: absolute;
          inline-size: 1px;
          block-size: 1px;
          overflow: hidden;
          clip-path: inset(50%);
        }
        tbody tr {
          display: flex;
          flex-wrap: wrap;
          align-items: center;
          gap: 0.35rem 0.75rem;
          background: var(--cs-surface);
          border: 1px solid var(--cs-border);
          border-radius: var(--cs-radius);
          padding: 0.75rem;
          margin-block-end: 0.6rem;
        }
        td,
        tbody tr:last-child td {
          padding: 0;
          border: none;
        }
        td.question {
          inline-size: 100%;
        }
        td.question a {
          font-size: 1rem;
          min-block-size: 44px;
        }
        .head {
          flex-wrap: wrap;
        }
      }
      .pager {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        justify-content: flex-end;
      }
    `,
  ];

  @property({ attribute: false }) query: URLSearchParams = new URLSearchParams();

  @state() private _nodes = new Map<string, TaxonomyNode>();
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void listTaxonomies()
      .then((ts) => (this._nodes = new Map(ts.flatMap((t) => t.nodes.map((n) => [n.id, n] as const)))))
      .catch(() => {});
  }

  /** The page of items the URL's query asks for; a new query (typing in the search) aborts the one before. */
  private readonly _items = new Task(this, {
    task: ([query], { signal }) => {
      const filters = {
        ...filtersFromQuery(query),
        page: Number(query.get('page') ?? 1),
        pageSize: PAGE_SIZE,
      } as unknown as ItemFilters;
      return listItems(filters, { signal });
    },
    args: () => [this.query] as const,
  });

  private _go(values: FilterValues, page = 1) {
    const q = new URLSearchParams(values);
    if (page > 1) q.set('page', String(page));
    const s = q.toString();
    navigate(`/items${s ? `?${s}` : ''}`, { replace: true });
  }

  private _label(id: string | null) {
    if (!id) return '';
    const node = this._nodes.get(id);
    return node ? nodeLabel(node, getLocale()) : id;
  }

  /** The question cell: the question and its gloss, with what a search found marked. */
  private _question(item: ItemSummary, href: string) {
    const match = (field: SearchField) => item.matches?.find((m) => m.field === field);
    const question = match('question');
    const gloss = match('questionEn');
    const elsewhere = (item.matches ?? []).filter((m) => m.field !== 'question' && m.field !== 'questionEn');
    return html`<a href=${href} dir="auto" lang=${item.language}
        >${question ? markedText(question.text, question.ranges) : item.question || msg('untitledQuestion')}</a
      >
      ${
        item.questionEn
          ? html`<span class="gloss" dir="auto" lang="en"
              >${gloss ? markedText(gloss.text, gloss.ranges) : item.questionEn}</span
            >`
          : nothing
      }
      ${elsewhere.map(
        (m) =>
          html`<span class="match" data-field=${m.field}
            ><span class="field">${fieldLabel(m.field)}</span
            ><span dir="auto" lang=${m.field === 'answerEn' ? 'en' : item.language}
              >${markedText(m.text, m.ranges)}</span
            ></span
          >`,
      )}`;
  }

  private _row(item: ItemSummary) {
    const href = `/items/${item.id}`;
    return html`<tr @click=${(e: Event) => (e.target as Element).closest('a') || navigate(href)}>
      <td class="question">${this._question(item, href)}</td>
      <td><span class="badge" title=${item.country ?? ''}>${item.language}</span></td>
      <td><cs-status-chip .status=${item.status}></cs-status-chip></td>
      <td>${this._label(item.kind === 'safety' ? item.hazard : item.primaryCategory)}</td>
      <td dir="auto">${item.authorName}</td>
      <td class="nowrap muted"><time datetime=${item.updatedAt}>${relativeTime(item.updatedAt)}</time></td>
    </tr>`;
  }

  override render() {
    const values = filtersFromQuery(this.query);
    // The count and the rows stay while the next page loads (the list is being filtered as one types).
    const p = this._items.value;
    return html`
      <div class="head">
        <h1>${msg('itemsTitle')}</h1>
        ${p ? html`<span class="muted" role="status">${msg('itemsCount', { count: p.total })}</span>` : nothing}
        <a class="primary" href="/items/new">${msg('navNewItem')}</a>
      </div>
      <cs-item-filters
        .initial=${values}
        @filters-change=${(e: CustomEvent<FilterValues>) => this._go(e.detail)}
      ></cs-item-filters>
      ${renderTask(this._items, (page) => this._page(page, values), { keep: true })}
    `;
  }

  private _page(p: ItemListPage, values: FilterValues) {
    const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
    return html`${p.items.length === 0 ? html`<p class="muted">${msg('noItems')}</p>` : nothing}
    ${
      p.items.length
        ? html`<table>
            <thead>
              <tr>
                <th scope="col">${msg('colQuestion')}</th>
                <th scope="col">${msg('colLanguage')}</th>
                <th scope="col">${msg('colStatus')}</th>
                <th scope="col">${msg('colCategory')}</th>
                <th scope="col">${msg('colAuthor')}</th>
                <th scope="col">${msg('colUpdated')}</th>
              </tr>
            </thead>
            <tbody>
              ${p.items.map((i) => this._row(i))}
            </tbody>
          </table>`
        : nothing
    }
    ${
      pages > 1
        ? html`<nav class="pager" aria-label=${msg('pageOf', { page: p.page, pages })}>
            <button type="button" ?disabled=${p.page <= 1} @click=${() => this._go(values, p.page - 1)}>
              ${msg('previousPage')}
            </button>
            <span class="muted">${msg('pageOf', { page: p.page, pages })}</span>
            <button type="button" ?disabled=${p.page >= pages} @click=${() => this._go(values, p.page + 1)}>
              ${msg('nextPage')}
            </button>
          </nav>`
        : nothing
    }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-item-list': CsItemList;
  }
}
