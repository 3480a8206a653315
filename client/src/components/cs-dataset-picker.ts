import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { listDatasets } from '../data/datasets.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { renderTask } from './task-status.ts';

/**
 * The dataset choice of a page or form: a labelled select of the datasets. Fires `dataset-change` (detail: the
 * dataset id, or null for "any") when the user picks one — and once when the list arrives with no choice made and
 * no "any" option, with the first dataset, so a page opens on it.
 */
@customElement('cs-dataset-picker')
export class CsDatasetPicker extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      select {
        inline-size: 100%;
      }
    `,
  ];

  /** The dataset chosen (null: none yet, or "any"). */
  @property({ attribute: false }) value: number | null = null;
  /** The id of the select, for pages and tests that refer to it. */
  @property({ attribute: 'select-id' }) selectId = 'dataset';
  /** The text of an option for "any dataset" (a filter); none when empty. */
  @property({ attribute: 'any-label' }) anyLabel = '';
  @property() label = '';
  protected readonly i18n = new I18nController(this);

  private readonly _datasets = new Task(this, {
    task: async (_args, { signal }) => {
      const datasets = await listDatasets({ signal });
      const first = datasets[0];
      if (this.value === null && !this.anyLabel && first) this._pick(first.id);
      return datasets;
    },
    args: () => [],
  });

  private _pick(id: number | null) {
    this.value = id;
    this.dispatchEvent(new CustomEvent<number | null>('dataset-change', { detail: id }));
  }

  override render() {
    return renderTask(this._datasets, (datasets) =>
      datasets.length === 0
        ? html`<p class="notice">${msg('noDatasets')}</p>`
        : html`<label for=${this.selectId}>${this.label || msg('filterDataset')}</label>
            <select
              id=${this.selectId}
              @change=${(e: Event) => {
                const v = (e.target as HTMLSelectElement).value;
                this._pick(v ? Number(v) : null);
              }}
            >
              ${this.anyLabel ? html`<option value="" ?selected=${this.value === null}>${this.anyLabel}</option>` : nothing}
              ${datasets.map((d) => html`<option value=${d.id} ?selected=${d.id === this.value}>${d.name}</option>`)}
            </select>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-dataset-picker': CsDatasetPicker;
  }
}
