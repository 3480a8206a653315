import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CreateModelRequest, Model } from '../../../schema/scoring.ts';
import { createModel } from '../data/scoring.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { errorText } from '../data/api.ts';
import { formText } from './form-text.ts';

/** Registers a model. The API key, if typed, is sent once and never shown again. */
@customElement('cs-model-form')
export class CsModelForm extends LitElement {
  static override styles = [
    shared,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: 0.7rem;
        align-items: end;
      }
    `,
  ];

  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  private async _submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string) => {
      const v = formText(data, name).trim();
      return v === '' ? null : v;
    };
    const input: CreateModelRequest = {
      name: text('name') ?? '',
      developer: text('developer') ?? '',
      country: text('country'),
      sovereign: data.get('sovereign') === 'on',
      baseUrl: text('baseUrl'),
      endpointModel: text('endpointModel'),
      apiKeyEnv: text('apiKeyEnv'),
      apiKey: text('apiKey'),
    };
    try {
      const model = await createModel(input);
      form.reset();
      this._error = null;
      this.dispatchEvent(
        new CustomEvent<Model>('model-created', { detail: model, bubbles: true, composed: true }),
      );
    } catch (err) {
      this._error = errorText(err);
    }
  }

  override render() {
    const field = (name: string, label: string, type = 'text', required = false) =>
      html`<div>
        <label for=${name}>${label}</label>
        <input id=${name} name=${name} type=${type} ?required=${required} autocomplete="off" />
      </div>`;
    return html`<form class="card" @submit=${this._submit}>
      ${field('name', msg('modelName'), 'text', true)}
      ${field('developer', msg('modelDeveloper'), 'text', true)} ${field('country', msg('modelCountry'))}
      <div>
        <label><input type="checkbox" name="sovereign" /> ${msg('modelSovereign')}</label>
      </div>
      ${field('baseUrl', msg('modelBaseUrl'), 'url')} ${field('endpointModel', msg('modelEndpointName'))}
      ${field('apiKeyEnv', msg('modelApiKeyEnv'))} ${field('apiKey', msg('modelApiKey'), 'password')}
      <div><button type="submit" class="primary">${msg('addModel')}</button></div>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-model-form': CsModelForm;
  }
}
