import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { nodeLabel, type Taxonomy, type TaxonomyId } from '../../../schema/taxonomy.ts';
import { taxonomy, treeRows, type TreeRow } from '../data/taxonomies.ts';
import { I18nController, getLocale, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

/** A labelled select over one taxonomy, as an indented tree. Fires `value-change` (node id or null). */
@customElement('cs-taxonomy-select')
export class CsTaxonomySelect extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
    `,
  ];

  @property() taxonomyId: TaxonomyId = 'socio-cultural';
  @property() value: string | null = null;
  @property() label = '';
  /** Text of the empty choice ("Any" in filters, "Choose…" in the editor). */
  @property() emptyLabel = '';
  @property({ type: Boolean }) disabled = false;
  @property() problem: string | null = null;
  /** Hide these node ids (e.g. tags already chosen). */
  @property({ attribute: false }) exclude: string[] = [];

  @state() private _rows: TreeRow[] = [];
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load() {
    const t: Taxonomy | undefined = await taxonomy(this.taxonomyId).catch(() => undefined);
    this._rows = t ? treeRows(t.nodes) : [];
  }

  /** "Tradition › Food": readable both in the open list and in the closed select. */
  private _path(id: string, lang: string): string {
    const byId = new Map(this._rows.map((r) => [r.node.id, r.node]));
    const parts: string[] = [];
    for (let n = byId.get(id); n; n = n.parentId ? byId.get(n.parentId) : undefined)
      parts.unshift(nodeLabel(n, lang));
    return parts.join(' › ');
  }

  private _change(e: Event) {
    const v = (e.target as HTMLSelectElement).value;
    this.dispatchEvent(new CustomEvent<string | null>('value-change', { detail: v || null }));
  }

  override render() {
    const lang = getLocale();
    const known = this._rows.some((r) => r.node.id === this.value);
    return html`<label for="select">${this.label}</label>
      <select
        id="select"
        ?disabled=${this.disabled}
        aria-invalid=${this.problem ? 'true' : 'false'}
        aria-describedby=${this.problem ? 'problem' : nothing}
        @change=${this._change}
      >
        <option value="" ?selected=${!this.value}>${this.emptyLabel || msg('chooseOne')}</option>
        ${this.value && !known ? html`<option value=${this.value} selected>${this.value}</option>` : nothing}
        ${this._rows
          .filter((r) => !this.exclude.includes(r.node.id))
          .map(
            ({ node }) =>
              html`<option value=${node.id} ?selected=${node.id === this.value}>
                ${this._path(node.id, lang)}
              </option>`,
          )}
      </select>
      ${this.problem ? html`<p class="problem" id="problem">${this.problem}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-taxonomy-select': CsTaxonomySelect;
  }
}
