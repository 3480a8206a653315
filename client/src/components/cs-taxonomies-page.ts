import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { nodeLabel, type Taxonomy } from '../../../schema/taxonomy.ts';
import { listTaxonomies, treeRows } from '../data/taxonomies.ts';
import { I18nController, getLocale, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-taxonomy-node-form.ts';
import { renderTask } from './task-status.ts';

type Editing = { taxonomy: string; mode: 'add' | 'edit'; nodeId: string | null } | null;

/** Maintainers: the taxonomies as trees with labels; add child nodes, edit labels. */
@customElement('cs-taxonomies-page')
export class CsTaxonomiesPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      :host > * {
        min-inline-size: 0;
      }
      ul {
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
      }
      li {
        padding-block: 0.2rem;
        border-block-end: 1px solid var(--cs-border);
      }
      .node {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .id {
        font-family: var(--cs-font-mono);
        font-size: 0.75rem;
        color: var(--cs-muted);
      }
      .node button {
        font-size: 0.8rem;
      }
      .actions {
        margin-inline-start: auto;
        display: flex;
        gap: 0.25rem;
      }
      .custom {
        font-size: 0.7rem;
      }
    `,
  ];

  @state() private _editing: Editing = null;
  /** Bumped after a node is saved: the taxonomies are fetched again (not from the page's copy). */
  @state() private _saved = 0;
  protected readonly i18n = new I18nController(this);

  private readonly _taxonomies = new Task(this, {
    task: ([saved]) => listTaxonomies(saved > 0),
    args: () => [this._saved] as const,
  });

  private _form(t: Taxonomy, mode: 'add' | 'edit', nodeId: string | null) {
    const e = this._editing;
    if (!e || e.taxonomy !== t.id || e.mode !== mode || e.nodeId !== nodeId) return nothing;
    return html`<cs-taxonomy-node-form
      .taxonomyId=${t.id}
      .parentId=${mode === 'add' ? nodeId : null}
      .node=${mode === 'edit' ? (t.nodes.find((n) => n.id === nodeId) ?? null) : null}
      @node-saved=${() => {
        this._editing = null;
        this._saved++;
      }}
      @cancel=${() => (this._editing = null)}
    ></cs-taxonomy-node-form>`;
  }

  private _tree(t: Taxonomy) {
    const lang = getLocale();
    return html`<section class="card" aria-labelledby=${`t-${t.id}`}>
      <div class="node">
        <h2 id=${`t-${t.id}`}>${t.name}</h2>
        <span class="id">v${t.version}</span>
        <div class="actions">
          <button
            type="button"
            @click=${() => (this._editing = { taxonomy: t.id, mode: 'add', nodeId: null })}
          >
            + ${msg('addTopLevel')}
          </button>
        </div>
      </div>
      <p class="muted">${t.description}</p>
      ${this._form(t, 'add', null)}
      <ul role="tree" aria-labelledby=${`t-${t.id}`}>
        ${treeRows(t.nodes).map(
          ({ node, depth }) =>
            html`<li
              role="treeitem"
              aria-level=${depth + 1}
              style=${`padding-inline-start:${depth * 1.5}rem`}
            >
              <div class="node">
                <span>${nodeLabel(node, lang)}</span>
                <span class="id">${node.id}</span>
                ${node.origin === 'custom' ? html`<span class="badge custom">${msg('custom')}</span>` : nothing}
                <div class="actions">
                  <button
                    type="button"
                    class="link"
                    @click=${() => (this._editing = { taxonomy: t.id, mode: 'edit', nodeId: node.id })}
                  >
                    ${msg('edit')}
                  </button>
                  <button
                    type="button"
                    class="link"
                    @click=${() => (this._editing = { taxonomy: t.id, mode: 'add', nodeId: node.id })}
                  >
                    + ${msg('addChild')}
                  </button>
                </div>
              </div>
              ${this._form(t, 'edit', node.id)} ${this._form(t, 'add', node.id)}
            </li>`,
        )}
      </ul>
    </section>`;
  }

  override render() {
    return html`<h1>${msg('taxonomiesTitle')}</h1>
      ${renderTask(this._taxonomies, (taxonomies) => taxonomies.map((t) => this._tree(t)), { keep: true })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-taxonomies-page': CsTaxonomiesPage;
  }
}
