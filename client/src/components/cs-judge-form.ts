import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CreateJudgeRequest, Judge, RubricTemplate } from '../../../schema/judge.ts';
import type { Model } from '../../../schema/scoring.ts';
import { errorText } from '../data/api.ts';
import { createJudge } from '../data/judges.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { formText } from './form-text.ts';

/** Registers a judge: a model and its rubric (criteria, language, optional templates in English). */
@customElement('cs-judge-form')
export class CsJudgeForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: 0.7rem;
        align-items: end;
      }
      .wide {
        grid-column: 1 / -1;
      }
      code {
        font-size: 0.85em;
      }
    `,
  ];

  @property({ attribute: false }) models: Model[] = [];
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  private async _submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string) => formText(data, name).trim();
    const templates: RubricTemplate[] = [];
    if (text('cultureTemplate'))
      templates.push({
        kind: 'culture',
        format: 'open_ended',
        language: null,
        template: text('cultureTemplate'),
      });
    if (text('safetyTemplate'))
      templates.push({
        kind: 'safety',
        format: 'open_ended',
        language: null,
        template: text('safetyTemplate'),
      });
    const input: CreateJudgeRequest = {
      name: text('name'),
      modelId: Number(data.get('modelId')),
      rubric: {
        language: data.get('rubricLanguage') === 'item' ? 'item' : 'en',
        criteria: text('criteria') || null,
        templates,
      },
    };
    try {
      const judge = await createJudge(input);
      form.reset();
      this._error = null;
      this.dispatchEvent(
        new CustomEvent<Judge>('judge-created', { detail: judge, bubbles: true, composed: true }),
      );
    } catch (err) {
      this._error = errorText(err);
    }
  }

  override render() {
    return html`<form @submit=${this._submit} aria-label=${msg('judgeNew')}>
      <div>
        <label for="judge-name">${msg('judgeName')}</label>
        <input id="judge-name" name="name" required />
      </div>
      <div>
        <label for="judge-model">${msg('judgeModel')}</label>
        <select id="judge-model" name="modelId" required>
          ${this.models.map((m) => html`<option value=${m.id}>${m.name}</option>`)}
        </select>
      </div>
      <div>
        <label for="judge-language">${msg('judgeRubricLanguage')}</label>
        <select id="judge-language" name="rubricLanguage">
          <option value="en">${msg('judgeRubricEnglish')}</option>
          <option value="item">${msg('judgeRubricItemLanguage')}</option>
        </select>
      </div>
      <div class="wide">
        <label for="judge-criteria">${msg('judgeCriteria')}</label>
        <textarea id="judge-criteria" name="criteria"></textarea>
      </div>
      <p class="muted wide">
        ${msg('judgePlaceholders')}
        <code
          >{question} {context} {reference_answer} {accepted_answers} {response} {criteria} {language}</code
        >
      </p>
      <div class="wide">
        <label for="judge-culture">${msg('judgeCultureTemplate')}</label>
        <textarea id="judge-culture" name="cultureTemplate" dir="auto"></textarea>
      </div>
      <div class="wide">
        <label for="judge-safety">${msg('judgeSafetyTemplate')}</label>
        <textarea id="judge-safety" name="safetyTemplate" dir="auto"></textarea>
      </div>
      <div><button class="primary" type="submit">${msg('judgeCreate')}</button></div>
      ${this._error ? html`<p class="notice error wide" role="alert">${this._error}</p>` : nothing}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-judge-form': CsJudgeForm;
  }
}
