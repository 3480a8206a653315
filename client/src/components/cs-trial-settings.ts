import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Model } from '../../../schema/scoring.ts';
import type { TrialSettings } from '../../../schema/trials.ts';
import { errorText } from '../data/api.ts';
import { getTrialSettings, listTrialJudges, saveTrialSettings } from '../data/trials.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-dataset-picker.ts';

/**
 * Maintainers: per dataset, which models annotators may try in the editor ("Try on models") and whether an
 * item needs a trial before it is submitted. Templates already set through the API are kept.
 */
@customElement('cs-trial-settings')
export class CsTrialSettings extends LitElement {
  static override styles = [
    shared,
    css`
      fieldset {
        border: 0;
        padding: 0;
        margin: 0.5rem 0;
        display: grid;
        gap: 0.3rem;
      }
      label {
        display: flex;
        gap: 0.4rem;
        align-items: center;
      }
    `,
  ];

  /** Every registered model (the Scoring page has them). */
  @property({ attribute: false }) models: Model[] = [];

  @state() private _datasetId: number | null = null;
  @state() private _settings: TrialSettings | null = null;
  @state() private _judges: { id: number; name: string }[] = [];
  @state() private _message: { ok: boolean; text: string } | null = null;
  protected readonly i18n = new I18nController(this);

  private async _pick(datasetId: number | null) {
    this._datasetId = datasetId;
    this._settings = null;
    this._message = null;
    if (datasetId === null) return;
    try {
      [this._settings, this._judges] = await Promise.all([getTrialSettings(datasetId), listTrialJudges()]);
    } catch (err) {
      this._message = { ok: false, text: errorText(err) };
    }
  }

  private async _save(e: SubmitEvent) {
    e.preventDefault();
    const settings = this._settings;
    if (!settings || this._datasetId === null) return;
    const data = new FormData(e.target as HTMLFormElement);
    const picked = new Set(data.getAll('model').map(Number));
    const templates = new Map(settings.models.map((m) => [m.modelId, m.promptTemplate]));
    try {
      this._settings = await saveTrialSettings(this._datasetId, {
        requireTrial: data.get('requireTrial') === 'on',
        judgeId: data.get('judgeId') ? Number(data.get('judgeId')) : null,
        models: this.models
          .filter((m) => picked.has(m.id))
          .map((m) => ({ modelId: m.id, promptTemplate: templates.get(m.id) ?? null })),
      });
      this._message = { ok: true, text: msg('trialSettingsSaved') };
    } catch (err) {
      this._message = { ok: false, text: errorText(err) };
    }
  }

  override render() {
    const s = this._settings;
    const offered = new Set(s?.models.map((m) => m.modelId) ?? []);
    return html`<h2 id="trial-settings-title">${msg('trialSettingsTitle')}</h2>
      <p class="muted">${msg('trialSettingsIntro')}</p>
      <cs-dataset-picker
        select-id="trial-dataset"
        .value=${this._datasetId}
        @dataset-change=${(e: CustomEvent<number | null>) => void this._pick(e.detail)}
      ></cs-dataset-picker>
      ${
        s
          ? html`<form @submit=${this._save} aria-labelledby="trial-settings-title">
              <fieldset>
                <legend>${msg('trialsModels')}</legend>
                ${this.models.map(
                  (m) =>
                    html`<label
                      ><input type="checkbox" name="model" value=${m.id} .checked=${offered.has(m.id)} />
                      ${m.name}
                      ${m.baseUrl ? nothing : html`<span class="muted">(${msg('trialSettingsNoEndpoint')})</span>`}</label
                    >`,
                )}
              </fieldset>
              <label
                ><input type="checkbox" name="requireTrial" .checked=${s.requireTrial} />
                ${msg('trialSettingsRequire')}</label
              >
              <label for="trial-judge">${msg('trialSettingsJudge')}</label>
              <select id="trial-judge" name="judgeId">
                <option value="">${msg('trialSettingsNoJudge')}</option>
                ${this._judges.map((j) => html`<option value=${j.id} ?selected=${s.judgeId === j.id}>${j.name}</option>`)}
              </select>
              <button class="primary" type="submit">${msg('trialSettingsSave')}</button>
            </form>`
          : nothing
      }
      ${this._message ? html`<p class="notice ${this._message.ok ? 'ok' : 'error'}" role="status">${this._message.text}</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-trial-settings': CsTrialSettings;
  }
}
