import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ItemFormat, ItemRevision, ItemRevisionWithSnapshot } from '../../../schema/item.ts';
import type { TaxonomyNode } from '../../../schema/taxonomy.ts';
import { taxonomyNodes } from '../data/taxonomies.ts';
import { formatLabel, itemFieldLabel, optionLetter, taxonomyLabel } from '../i18n/labels.ts';
import { orderedFields } from '../autosave/autosaver.ts';
import { getRevision, listRevisions } from '../data/items.ts';
import { I18nController, dateTime, msg, relativeTime } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

const TAXONOMY_FIELDS = new Set(['primaryCategory', 'hazard', 'attackStyle']);

const show = (v: unknown): string =>
  v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);

/** The item's revisions: who, when, which fields; view one; restore (confirmed). Fires `restore-request`. */
@customElement('cs-revisions-panel')
export class CsRevisionsPanel extends LitElement {
  static override styles = [
    shared,
    css`
      summary {
        cursor: pointer;
        font-weight: 600;
      }
      ol {
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.35rem;
        max-block-size: 22rem;
        overflow: auto;
      }
      li {
        font-size: 0.85rem;
        border-block-end: 1px solid var(--cs-border);
        padding-block-end: 0.35rem;
      }
      .fields {
        color: var(--cs-muted);
        font-size: 0.78rem;
      }
      .snapshot {
        margin-block-start: 0.5rem;
        background: var(--cs-surface-2);
        border-radius: var(--cs-radius);
        padding: 0.5rem;
        font-size: 0.85rem;
      }
      dt {
        font-weight: 600;
        color: var(--cs-muted);
        font-size: 0.75rem;
      }
      dd {
        margin: 0 0 0.35rem;
        white-space: pre-wrap;
      }
    `,
  ];

  @property({ type: Number }) itemId = 0;
  @property({ type: Number }) version = 0;
  @property() textLang = 'en';
  @property({ type: Boolean }) canRestore = false;

  @state() private _open = false;
  @state() private _revisions: ItemRevision[] = [];
  @state() private _viewing: ItemRevisionWithSnapshot | null = null;
  @state() private _confirming: number | null = null;
  @state() private _nodes = new Map<string, TaxonomyNode>();
  protected readonly i18n = new I18nController(this);

  protected override updated(changed: PropertyValues<this>): void {
    if (this._open && changed.has('version')) void this._load();
  }

  private async _load() {
    if (this._nodes.size === 0)
      void taxonomyNodes()
        .then((nodes) => (this._nodes = nodes))
        .catch(() => {});
    try {
      this._revisions = await listRevisions(this.itemId);
    } catch {
      // offline: keep what we have
    }
  }

  private async _view(version: number) {
    this._viewing = this._viewing?.version === version ? null : await getRevision(this.itemId, version);
  }

  private _restore(version: number) {
    this._confirming = null;
    this.dispatchEvent(new CustomEvent<number>('restore-request', { detail: version }));
  }

  /** A field's value in words: letters for the correct option, labels for formats, kinds and taxonomy nodes. */
  private _value(field: string, v: unknown): string {
    if (field === 'correctIndex' && typeof v === 'number') return optionLetter(v);
    if (field === 'trueFalseAnswer' && typeof v === 'boolean') return v ? msg('true') : msg('false');
    if (field === 'format' && typeof v === 'string') return formatLabel(v as ItemFormat);
    if (field === 'kind' && (v === 'culture' || v === 'safety')) return msg(`kind_${v}`);
    if (TAXONOMY_FIELDS.has(field) && typeof v === 'string') return taxonomyLabel(this._nodes, v);
    if (field === 'sources' && Array.isArray(v))
      return (v as { url?: string; title?: string }[]).map((s) => s.title || s.url || '').join('; ');
    if (field === 'secondaryTags' && Array.isArray(v))
      return v.map((t) => taxonomyLabel(this._nodes, String(t))).join(', ');
    return show(v);
  }

  private _snapshot(r: ItemRevisionWithSnapshot) {
    const s = r.snapshot;
    return html`<dl class="snapshot" aria-label=${msg('revisionOf', { version: r.version })}>
      ${orderedFields(s)
        .filter((k) => s[k] !== null && !(Array.isArray(s[k]) && (s[k] as unknown[]).length === 0))
        .map(
          (k) =>
            html`<dt>${itemFieldLabel(k)}</dt>
              <dd dir="auto" lang=${this.textLang}>${this._value(k, s[k])}</dd>`,
        )}
    </dl>`;
  }

  private _row(r: ItemRevision) {
    return html`<li>
      <div>
        <strong
          >${msg('revisionLine', { version: r.version, action: msg(`action_${r.action}`), user: r.userName })}</strong
        >
        <time class="muted" datetime=${r.createdAt} title=${dateTime(r.createdAt)}
          >${relativeTime(r.createdAt)}</time
        >
      </div>
      <div class="fields">${Object.keys(r.changes).map(itemFieldLabel).join(', ')}</div>
      <div class="row">
        <button
          type="button"
          class="link"
          aria-expanded=${this._viewing?.version === r.version}
          @click=${() => this._view(r.version)}
        >
          ${msg('view')}
        </button>
        ${
          r.version !== this.version
            ? this._confirming === r.version
              ? html`<span class="muted">${msg('restoreConfirm', { version: r.version })}</span>
                  <button type="button" class="primary" @click=${() => this._restore(r.version)}>
                    ${msg('restore')}
                  </button>
                  <button type="button" @click=${() => (this._confirming = null)}>${msg('cancel')}</button>`
              : html`<button
                  type="button"
                  class="link"
                  ?disabled=${!this.canRestore}
                  title=${this.canRestore ? '' : msg('restoreNeedsSave')}
                  @click=${() => (this._confirming = r.version)}
                >
                  ${msg('restore')}
                </button>`
            : nothing
        }
      </div>
      ${this._viewing?.version === r.version ? this._snapshot(this._viewing) : nothing}
    </li>`;
  }

  override render() {
    return html`<details
      @toggle=${(e: Event) => {
        this._open = (e.target as HTMLDetailsElement).open;
        if (this._open) void this._load();
      }}
    >
      <summary>${msg('revisionsTitle')}</summary>
      ${
        this._revisions.length === 0
          ? html`<p class="muted">${msg('noRevisions')}</p>`
          : html`<ol>
              ${this._revisions.map((r) => this._row(r))}
            </ol>`
      }
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-revisions-panel': CsRevisionsPanel;
  }
}
