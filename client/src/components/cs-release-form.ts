import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { itemKinds, type ItemKind } from '../../../schema/item.ts';
import {
  isSemver,
  type Release,
  type ReleaseChanges,
  type ReleaseCounts,
  type ReleaseFilter,
} from '../../../schema/release.ts';
import { ApiError, errorText } from '../data/api.ts';
import { createRelease, nextVersions, previewRelease, previewReleaseChanges } from '../data/releases.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-language-picker.ts';
import './cs-release-chart.ts';
import './cs-tag-picker.ts';
import type { FieldChange } from './field-change.ts';
import { formText } from './form-text.ts';

/**
 * Cut a release: version (the next one suggested from `versions`), title, notes, filter; preview the counts and
 * what changed since the previous release before creating. Emits `release-created`.
 */
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
      .suggestions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
        margin-block-start: 0.35rem;
        font-size: 0.85rem;
      }
      .suggestions button {
        padding: 0.15rem 0.55rem;
      }
      .changes {
        margin: 0;
      }
    `,
  ];

  @property({ type: Number }) datasetId = 0;
  /** The versions of the dataset's releases, so that the next one can be suggested. */
  @property({ attribute: false }) versions: readonly string[] = [];
  @state() private _version = '';
  @state() private _preview: ReleaseCounts | null = null;
  @state() private _changes: ReleaseChanges | null = null;
  @state() private _busy = false;
  @state() private _error: string | null = null;
  @state() private _languages: string[] = [];
  /** Taxonomy nodes the release takes (with everything under them); none: every category. */
  @state() private _categories: string[] = [];
  /** The share-alike licences the last attempt conflicted with (409 license-conflict): the maintainer may confirm. */
  @state() private _shareAlike: string[] | null = null;
  protected readonly i18n = new I18nController(this);

  private _filter(data: FormData): ReleaseFilter {
    return {
      languages: this._languages,
      kinds: data.getAll('kinds').map(String) as ItemKind[],
      categories: this._categories,
      includeSubmitted: data.get('includeSubmitted') === 'on',
    };
  }

  private _data = () => new FormData(this.renderRoot.querySelector('form')!);

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new list of releases (another dataset, or one just cut): suggest the version after them.
    const before = changed.get('versions');
    if (changed.has('versions') && (!before || before.join() !== this.versions.join())) {
      this._version = nextVersions(this.versions)[0].version;
    }
  }

  private async _doPreview() {
    this._error = null;
    const data = this._data();
    const filter = this._filter(data);
    const version = this._version.trim();
    // As the release would be cut: an empty licence field means cc-by-4.0.
    const license = (formText(data, 'license') || 'cc-by-4.0').trim();
    try {
      [this._preview, this._changes] = await Promise.all([
        previewRelease(this.datasetId, filter),
        previewReleaseChanges(this.datasetId, filter, { license, ...(isSemver(version) ? { version } : {}) }),
      ]);
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private _changesView(c: ReleaseChanges) {
    if (c.previousVersion === null)
      return html`<p class="wide muted changes">${msg('releaseChangesFirst')}</p>`;
    const counts = { version: c.previousVersion, added: c.added, removed: c.removed, changed: c.changed };
    return html`<p class="wide changes" id="release-changes">${msg('releaseChanges', counts)}</p>
      ${
        c.added + c.removed + c.changed === 0
          ? html`<p class="wide notice warn" role="alert">
              ${msg('releaseNothingChanged', { version: c.previousVersion })}
            </p>`
          : nothing
      }`;
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
        version: formText(data, 'version').trim(),
        title: formText(data, 'title'),
        notes: formText(data, 'notes'),
        license: formText(data, 'license') || 'cc-by-4.0',
        ...(data.get('confirmLicense') === 'on' ? { confirmLicense: true } : {}),
        ...(data.get('includeTrials') === 'on' ? { includeTrials: true } : {}),
        filter: this._filter(data),
      });
      this._shareAlike = null;
      this.dispatchEvent(
        new CustomEvent<Release>('release-created', { detail: release, bubbles: true, composed: true }),
      );
      form.reset();
      this._languages = [];
      this._preview = null;
      this._changes = null;
    } catch (err) {
      this._error = errorText(err);
      if (err instanceof ApiError && err.code === 'license-conflict')
        this._shareAlike = (err.details as { shareAlike: string[] }).shareAlike;
    } finally {
      this._busy = false;
    }
  }

  override render() {
    return html`<form
      class="card"
      @submit=${this._create}
      @change=${() => ((this._preview = null), (this._changes = null))}
    >
      <h2 class="wide">${msg('releaseNew')}</h2>
      <div>
        <label for="version">${msg('releaseVersion')}</label>
        <input
          id="version"
          name="version"
          required
          aria-describedby="version-suggestions"
          .value=${live(this._version)}
          @input=${(e: Event) => (this._version = (e.target as HTMLInputElement).value)}
          placeholder="1.0.0"
          pattern="\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.\\-]+)?(\\+[0-9A-Za-z.\\-]+)?"
        />
      </div>
        <div class="suggestions" id="version-suggestions">
          <span class="muted">${msg('releaseSuggested')}</span>
          ${nextVersions(this.versions).map(
            (s) =>
              html`<button
                type="button"
                aria-pressed=${this._version === s.version}
                @click=${() => ((this._version = s.version), (this._preview = null), (this._changes = null))}
              >
                ${msg(`releaseStep_${s.step}`, { version: s.version })}
              </button>`,
          )}
        </div>
      </div>
      <div>
        <label for="title">${msg('releaseTitle')}</label>
        <input id="title" name="title" required maxlength="200" dir="auto" />
      </div>
      <div>
        <label for="license">${msg('releaseLicense')}</label>
        <input id="license" name="license" placeholder="cc-by-4.0" />
      </div>
      ${
        this._shareAlike
          ? html`<label class="wide"
              ><input type="checkbox" name="confirmLicense" />
              ${msg('releaseConfirmLicense', { licenses: this._shareAlike.join(', ') })}</label
            >`
          : nothing
      }
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
      <cs-tag-picker
        id="categories"
        .label=${msg('releaseCategories')}
        .tags=${this._categories}
        @field-change=${(e: CustomEvent<FieldChange>) => {
          // The picker speaks the editor's event; here it only sets the release's categories.
          e.stopPropagation();
          this._categories = e.detail.value as string[];
          this._preview = null;
        }}
      ></cs-tag-picker>
      <fieldset>
        <legend class="label">${msg('releaseKinds')}</legend>
        ${itemKinds.map((k) => html`<label><input type="checkbox" name="kinds" value=${k} /> ${msg(`kind_${k}`)}</label>`)}
      </fieldset>
      <label class="wide"
        ><input type="checkbox" name="includeSubmitted" /> ${msg('releaseIncludeSubmitted')}</label
      >
      <label class="wide"
        ><input type="checkbox" name="includeTrials" id="include-trials" /> ${msg('releaseIncludeTrials')}</label
      >
      <div class="wide actions">
        <button type="button" @click=${this._doPreview}>${msg('releasePreview')}</button>
        <button class="primary" type="submit" ?disabled=${this._busy}>${msg('releaseCreate')}</button>
        ${this._busy ? html`<span role="status">${msg('releaseBuilding')}</span><progress></progress>` : nothing}
        ${this._preview ? html`<span role="status">${msg('releasePreviewCount', { count: this._preview.total })}</span>` : nothing}
      </div>
      ${this._error ? html`<p class="wide notice error" role="alert">${this._error}</p>` : nothing}
      ${this._changes ? this._changesView(this._changes) : nothing}
      ${this._preview ? html`<cs-release-chart class="wide" .counts=${this._preview}></cs-release-chart>` : nothing}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-release-form': CsReleaseForm;
  }
}
