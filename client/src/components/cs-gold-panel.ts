import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { verdicts, type GoldItem, type Verdict } from '../../../schema/validation.ts';
import { errorText } from '../data/api.ts';
import { listGold, removeGold, setGold } from '../data/validation.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

/**
 * A maintainer's control over whether an item is gold: a known answer mixed into validation tasks to measure
 * each validator's accuracy. The expected answers are the two verdicts a validator gives.
 */
@customElement('cs-gold-panel')
export class CsGoldPanel extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.5rem;
      }
      .row {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        align-items: end;
      }
    `,
  ];

  @property({ type: Number }) itemId = 0;
  @property({ type: Number }) datasetId = 0;
  /** The item's gold entry, null when it is not gold, undefined while loading. */
  @state() private _gold: GoldItem | null | undefined = undefined;
  @state() private _error: string | null = null;
  protected readonly i18n = new I18nController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('itemId') || changed.has('datasetId')) void this._load();
  }

  private async _load() {
    if (!this.itemId || !this.datasetId) return;
    try {
      this._gold = (await listGold(this.datasetId)).find((g) => g.itemId === this.itemId) ?? null;
      this._error = null;
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private async _act(fn: () => Promise<unknown>) {
    try {
      await fn();
      await this._load();
    } catch (err) {
      this._error = errorText(err);
    }
  }

  private _verdict(name: 'grounded' | 'correct'): Verdict {
    return this.renderRoot.querySelector<HTMLSelectElement>(`#gold-${name}`)!.value as Verdict;
  }

  private _select(name: 'grounded' | 'correct', label: string, value: Verdict) {
    return html`<div>
      <label for="gold-${name}">${label}</label>
      <select id="gold-${name}">
        ${verdicts.map((v) => html`<option value=${v} ?selected=${v === value}>${msg(`verdict_${v}`)}</option>`)}
      </select>
    </div>`;
  }

  override render() {
    const gold = this._gold;
    if (gold === undefined && !this._error) return html`<p class="muted">${msg('loading')}</p>`;
    return html`<h2 id="gold-title">${msg('goldTitle')}</h2>
      <p class="muted" id="gold-state">${gold ? msg('goldIs') : msg('goldIntro')}</p>
      ${this._error ? html`<p class="notice error" role="alert">${this._error}</p>` : nothing}
      <div class="row">
        ${this._select('grounded', msg('vGrounded'), gold?.grounded ?? 'yes')}
        ${this._select('correct', msg('vCorrect'), gold?.correct ?? 'yes')}
      </div>
      <div class="row">
        <button
          type="button"
          @click=${() =>
            this._act(() =>
              setGold(this.itemId, {
                grounded: this._verdict('grounded'),
                correct: this._verdict('correct'),
              }),
            )}
        >
          ${gold ? msg('goldUpdate') : msg('goldMark')}
        </button>
        ${
          gold
            ? html`<button
                type="button"
                class="danger"
                @click=${() => this._act(() => removeGold(this.itemId))}
              >
                ${msg('goldRemove')}
              </button>`
            : nothing
        }
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-gold-panel': CsGoldPanel;
  }
}
