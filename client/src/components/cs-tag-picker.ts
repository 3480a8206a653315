import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { nodeLabel, type TaxonomyNode } from '../../../schema/taxonomy.ts';
import { taxonomy } from '../data/taxonomies.ts';
import { I18nController, getLocale, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { fieldChange } from './field-change.ts';
import './cs-taxonomy-select.ts';

/**
 * Taxonomy nodes as chips with a remove button and a taxonomy select to add one: an item's secondary tags, or the
 * categories a release takes (`label` names the list).
 */
@customElement('cs-tag-picker')
export class CsTagPicker extends LitElement {
  static override styles = [
    shared,
    css`
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
        list-style: none;
        padding: 0;
        margin: 0 0 0.4rem;
      }
      li {
        display: inline-flex;
        align-items: center;
        gap: 0.15rem;
        background: var(--cs-accent-soft);
        color: var(--cs-accent-strong);
        border-radius: 999px;
        padding-inline: 0.6rem 0.2rem;
        font-size: 0.85rem;
      }
      li button {
        padding: 0 0.35rem;
        border-radius: 999px;
      }
    `,
  ];

  @property({ attribute: false }) tags: string[] = [];
  @property({ type: Boolean }) readonly = false;
  /** What the list is called; the item's secondary tags by default. */
  @property() label: string | null = null;
  @state() private _nodes = new Map<string, TaxonomyNode>();
  /** Bumped on each tag added: the select is made anew, back on "Choose…" (a native select keeps its pick). */
  @state() private _added = 0;
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void taxonomy('socio-cultural')
      .then((t) => (this._nodes = new Map((t?.nodes ?? []).map((n) => [n.id, n]))))
      .catch(() => {});
  }

  private _label(id: string) {
    const n = this._nodes.get(id);
    return n ? nodeLabel(n, getLocale()) : id;
  }

  private async _add(id: string | null) {
    if (!id) return;
    this.dispatchEvent(fieldChange('secondaryTags', [...this.tags, id]));
    this._added++;
    // Keyboard users stay on the picker to add another tag.
    await this.updateComplete;
    const picker = this.renderRoot.querySelector('cs-taxonomy-select');
    await picker?.updateComplete;
    picker?.shadowRoot?.querySelector('select')?.focus();
  }

  override render() {
    // Read-only (a submitted item): the tags only, no remove buttons and no picker.
    return html`<div>
      <span class="label" id="tags-label">${this.label ?? msg('fieldSecondaryTags')}</span>
      <ul aria-labelledby="tags-label">
        ${this.tags.map(
          (t) =>
            html`<li>
              ${this._label(t)}
              ${
                this.readonly
                  ? nothing
                  : html`<button
                      type="button"
                      class="link"
                      aria-label=${msg('removeTag', { label: this._label(t) })}
                      @click=${() =>
                        this.dispatchEvent(
                          fieldChange(
                            'secondaryTags',
                            this.tags.filter((x) => x !== t),
                          ),
                        )}
                    >
                      ✕
                    </button>`
              }
            </li>`,
        )}
      </ul>
      ${
        this.readonly
          ? nothing
          : keyed(
              this._added,
              html`<cs-taxonomy-select
                id="add-tag"
                taxonomyId="socio-cultural"
                .label=${msg('addTag')}
                .exclude=${this.tags}
                .value=${null}
                @value-change=${(e: CustomEvent<string | null>) => this._add(e.detail)}
              ></cs-taxonomy-select>`,
            )
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-tag-picker': CsTagPicker;
  }
}
