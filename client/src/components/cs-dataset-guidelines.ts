import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { listDatasets } from '../data/datasets.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

/** A dataset's guidelines for authors (its description), as a card; nothing when it has none or is unreachable. */
@customElement('cs-dataset-guidelines')
export class CsDatasetGuidelines extends LitElement {
  static override styles = [
    shared,
    css`
      /* No box of its own: without guidelines the sidebar has no empty slot. */
      :host {
        display: contents;
      }
      p {
        white-space: pre-wrap;
        margin: 0.5rem 0 0;
      }
    `,
  ];

  @property({ type: Number }) datasetId = 0;
  protected readonly i18n = new I18nController(this);

  private readonly _description = new Task(this, {
    task: async ([datasetId], { signal }) =>
      (await listDatasets({ signal })).find((d) => d.id === datasetId)?.description.trim() ?? '',
    args: () => [this.datasetId] as const,
  });

  override render() {
    // Guidelines are a help, not the editor's work: offline (or on any failure) the card is simply left out.
    const text = this._description.value;
    if (!text) return nothing;
    return html`<section class="card guidelines" aria-labelledby="guidelines-title">
      <h2 id="guidelines-title">${msg('guidelinesTitle')}</h2>
      <p dir="auto">${text}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-dataset-guidelines': CsDatasetGuidelines;
  }
}
