import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CalibrationSlice, JudgeCalibration, Judgment } from '../../../schema/judge.ts';
import { errorText } from '../data/api.ts';
import { judgeCalibration, saveJudgeSettings, unparseableJudgments } from '../data/judges.ts';
import { I18nController, languageName, msg, type MessageKey } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import './cs-calibration-chart.ts';

const CRITERION: Record<CalibrationSlice['criterion'], MessageKey> = {
  correctness: 'judgeCriterionCorrectness',
  culturalAlignment: 'judgeCriterionCultural',
  languageQuality: 'judgeCriterionQuality',
  safetyOutcome: 'judgeCriterionSafety',
};
const OUTCOME: Record<string, MessageKey> = {
  safe_refusal: 'judgeOutcomeSafeRefusal',
  safe_completion: 'judgeOutcomeSafeCompletion',
  unsafe: 'judgeOutcomeUnsafe',
  over_refusal: 'judgeOutcomeOverRefusal',
};

const fixed = (x: number | null) => (x === null ? '–' : x.toFixed(3));

/** One judge run's agreement with the human raters: α per language × criterion, the safety table, the settings. */
@customElement('cs-judge-calibration')
export class CsJudgeCalibration extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0.9rem;
      }
      table {
        border-collapse: collapse;
        font-size: 0.88rem;
      }
      th,
      td {
        padding: 0.3rem 0.5rem;
        border-block-end: 1px solid var(--cs-border);
        text-align: start;
      }
      td.num {
        font-variant-numeric: tabular-nums;
      }
      .scroll {
        overflow-x: auto;
        /* Contains the visually hidden header text (absolutely placed), so it never widens the page. */
        position: relative;
      }
      .row {
        display: flex;
        gap: 0.8rem;
        align-items: end;
        flex-wrap: wrap;
      }
      .row input {
        inline-size: 8rem;
      }
      pre {
        white-space: pre-wrap;
        margin: 0;
        padding: 0.4rem 0.6rem;
        background: var(--cs-surface-2, var(--cs-surface));
        border: 1px solid var(--cs-border);
        border-radius: var(--cs-radius);
        font-size: 0.85rem;
      }
    `,
  ];

  @property({ type: Number }) judgeRunId = 0;
  @state() private _calibration: JudgeCalibration | null = null;
  @state() private _unparseable: Judgment[] = [];
  @state() private _error: string | null = null;
  @state() private _saved = false;
  protected readonly i18n = new I18nController(this);

  override updated(changed: Map<string, unknown>) {
    if (changed.has('judgeRunId') && this.judgeRunId) void this._load();
  }

  private async _load() {
    try {
      const [calibration, unparseable] = await Promise.all([
        judgeCalibration(this.judgeRunId),
        unparseableJudgments(this.judgeRunId),
      ]);
      this._calibration = calibration;
      this._unparseable = unparseable;
      this._error = null;
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _saveSettings(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    try {
      await saveJudgeSettings(this._calibration!.datasetId, {
        alphaThreshold: Number(data.get('threshold')),
        minAnswers: Number(data.get('minAnswers')),
      });
      this._saved = true;
      await this._load();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private _label(s: CalibrationSlice) {
    const language = s.language === '*' ? msg('judgeAllLanguages') : languageName(s.language);
    return `${language} · ${msg(CRITERION[s.criterion])}`;
  }

  override render() {
    const c = this._calibration;
    if (this._error) return html`<p class="notice error" role="alert">${this._error}</p>`;
    if (!c) return html`<p class="muted">${msg('loading')}</p>`;
    const threshold = c.settings.alphaThreshold;
    return html`<h2>${msg('judgeCalibrationTitle')}</h2>
      <p class="muted">
        ${msg('judgeCalibrationIntro', { threshold: String(threshold), min: String(c.settings.minAnswers) })}
      </p>
      <p>${msg('judgeUnparseableCount', { count: c.unparseable })}</p>
      ${
        c.slices.length === 0
          ? html`<p class="muted">${msg('judgeNoOverlap')}</p>`
          : html`<cs-calibration-chart
                heading=${msg('judgeCalibrationTitle')}
                .threshold=${threshold}
                thresholdLabel=${msg('judgeThresholdLine', { threshold: String(threshold) })}
                .bars=${c.slices.map((s) => ({
                  label: this._label(s),
                  value: s.alpha,
                  low: s.alphaLow,
                  high: s.alphaHigh,
                  trusted: s.trusted,
                }))}
              ></cs-calibration-chart>
              <div class="scroll" tabindex="0" role="region" aria-label=${msg('judgeCalibrationTitle')}>
                <table>
                  <thead>
                    <tr>
                      <th>${msg('colLanguage')}</th>
                      <th>${msg('judgeColCriterion')}</th>
                      <th>n</th>
                      <th>α [95%]</th>
                      <th>${msg('judgeColAgreement')}</th>
                      <th>${msg('judgeColTrusted')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${c.slices.map(
                      (s) =>
                        html`<tr>
                          <td>${s.language === '*' ? msg('judgeAllLanguages') : languageName(s.language)}</td>
                          <td>${msg(CRITERION[s.criterion])}</td>
                          <td class="num">${s.n}</td>
                          <td class="num">
                            ${fixed(s.alpha)}${s.alphaLow === null ? '' : ` [${fixed(s.alphaLow)}–${fixed(s.alphaHigh)}]`}
                          </td>
                          <td class="num">
                            ${s.agreement === null ? '–' : `${(s.agreement * 100).toFixed(1)}%`}
                          </td>
                          <td>${s.trusted ? msg('judgeTrusted') : msg('judgeHumansOnly')}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
      }
      ${c.safetyConfusion.map(
        (t) =>
          html`<div class="scroll" tabindex="0" role="region" aria-label=${msg('judgeConfusionTitle')}>
            <table>
              <caption>
                ${msg('judgeConfusionTitle')} ·
                ${t.language === '*' ? msg('judgeAllLanguages') : languageName(t.language)}
              </caption>
              <thead>
                <tr>
                  <th>${msg('judgeHumansRowsJudgeColumns')}</th>
                  ${t.outcomes.map((o) => html`<th>${msg(OUTCOME[o])}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${t.counts.map(
                  (row, i) =>
                    html`<tr>
                      <th>${msg(OUTCOME[t.outcomes[i]])}</th>
                      ${row.map((n) => html`<td class="num">${n}</td>`)}
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`,
      )}
      <form class="row" @submit=${this._saveSettings}>
        <div>
          <label for="threshold">${msg('judgeSettingThreshold')}</label>
          <input
            id="threshold"
            name="threshold"
            type="number"
            min="0"
            max="1"
            step="0.001"
            .value=${String(threshold)}
          />
        </div>
        <div>
          <label for="min-answers">${msg('judgeSettingMinAnswers')}</label>
          <input
            id="min-answers"
            name="minAnswers"
            type="number"
            min="1"
            step="1"
            .value=${String(c.settings.minAnswers)}
          />
        </div>
        <button type="submit">${msg('save')}</button>
        ${this._saved ? html`<span role="status">${msg('judgeSettingsSaved')}</span>` : nothing}
      </form>
      ${
        this._unparseable.length > 0
          ? html`<h3>${msg('judgeUnparseableTitle')}</h3>
              ${this._unparseable.map(
                (j) =>
                  html`<div>
                    <p class="muted">${j.itemId} · ${j.parseError}</p>
                    <pre lang=${j.language} dir="auto">${j.rawOutput}</pre>
                  </div>`,
              )}`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-judge-calibration': CsJudgeCalibration;
  }
}
