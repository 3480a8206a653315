import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { itemKinds, type ItemKind } from '../../../schema/item.ts';
import type { Release, ReleaseCounts, ReleaseFilter } from '../../../schema/release.ts';
import { errorText } from '../data/api.ts';
import { createRelease, previewRelease } from '../data/releases.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-language-picker.ts';
import './cs-release-chart.ts';

const list = (v: FormDataEntryValue | null) =>
  String(v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Cut a release: version, title, notes, filter; preview the counts before creating. Emits `release-created`. */
@customElement('cs-release-form')
export class CsReleaseForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        gap: 0.8rem;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
      }
      .wide {
        grid-column: 1 / -1;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
      }
    `,
  ];

  @property({ type: Number }) datasetId = 0;
  @state() private _preview: ReleaseCounts | null = null;
  @state() private _busy = false;
  @state() private _error: string | null = null;
  @state() private _languages: string[] = [];
  protected readonly i18n = new I18nController(this);

  private _filter(data: FormData): ReleaseFilter {
    return {
      languages: this._languages,
      kinds: data.getAll('kinds').map(String) as ItemKind[],
      categories: list(data.get('categories')),
      includeSubmitted: data.get('includeSubmitted') === 'on',
    };
  }

  private _data = () => new FormData(this.renderRoot.querySelector('form')!);

  private async _doPreview() {
    this._error = null;
    try {
      this._preview = await previewRelease(this.datasetId, this._filter(this._data()));
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = this._data();
    this._busy = true;
    this._error = null;
    try {
      const release = await createRelease({
        datasetId: this.datasetId,
        version: String(data.get('version')).trim(),
        title: String(data.get('title')),
        notes: String(data.get('notes') ?? ''),
        license: String(data.get('license') || 'cc-by-4.0'),
        filter: this._filter(data),
      });
      this.dispatchEvent(
        new CustomEvent<Release>('release-created', { detail: release, bubbles: true, composed: true }),
      );
      form.reset();
      this._languages = [];
      this._preview = null;
    } catch (err) {
      this._error = errorText(err);
    } finally {
      this._busy = false;
    }
  }

  override render() {
    return html`<form class="card" @submit=${this._create} @change=${() => (this._preview = null)}>
      <h2 class="wide">${msg('releaseNew')}</h2>
      <div>
        <label for="version">${msg('releaseVersion')}</label>
        <input
          id="version"
          name="version"
          required
          placeholder="1.0.0"
          pattern="\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.\\-]+)?(\\+[0-9A-Za-z.\\-]+)?"
        />
      </div>
      <div>
        <label for="title">${msg('releaseTitle')}</label>
        <input id="title" name="title" required maxlength="200" dir="auto" />
      </div>
      <div>
        <label for="license">${msg('releaseLicense')}</label>
        <input id="license" name="license" placeholder="cc-by-4.0" />
      </div>
      <div class="wide">
        <label for="notes">${msg('releaseNotes')}</label>
        <textarea id="notes" name="notes" rows="2" dir="auto"></textarea>
      </div>
      <cs-language-picker
        multiple
        .label=${msg('releaseLanguages')}
        .value=${this._languages}
        @value-change=${(e: CustomEvent<string[]>) => {
          this._languages = e.detail;
          this._preview = null;
        }}
      ></cs-language-picker>
      <div>
        <label for="categories">${msg('releaseCategories')}</label>
        <input id="categories" name="categories" placeholder="tradition, history" />
      </div>
      <fieldset>
        <legend class="label">${msg('releaseKinds')}</legend>
        ${itemKinds.map((k) => html`<label><input type="checkbox" name="kinds" value=${k} /> ${msg(`kind_${k}`)}</label>`)}
      </fieldset>
      <label class="wide"
        ><input type="checkbox" name="includeSubmitted" /> ${msg('releaseIncludeSubmitted')}</label
      >
      <div class="wide actions">
        <button type="button" @click=${this._doPreview}>${msg('releasePreview')}</button>
        <button class="primary" type="submit" ?disabled=${this._busy}>${msg('releaseCreate')}</button>
        ${this._busy ? html`<span role="status">${msg('releaseBuilding')}</span><progress></progress>` : nothing}
        ${this._preview ? html`<span role="status">${msg('releasePreviewCount', { total: this._preview.total })}</span>` : nothing}
      </div>
      ${this._error ? html`<p class="wide notice error" role="alert">${this._error}</p>` : nothing}
      ${this._preview ? html`<cs-release-chart class="wide" .counts=${this._preview}></cs-release-chart>` : nothing}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-release-form': CsReleaseForm;
  }
}
