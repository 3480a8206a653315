import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { verdicts, type GoldItem, type Verdict } from '../../../schema/validation.ts';
import { listGold, removeGold, setGold } from '../data/validation.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { failed, renderTask } from './task-status.ts';

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
  /** What the last action (mark, update, remove) failed with. */
  @state() private _failure: unknown = null;
  protected readonly i18n = new I18nController(this);

  /** The item's gold entry, null when it is not gold. */
  private readonly _gold = new Task(this, {
    task: async ([itemId, datasetId], { signal }): Promise<GoldItem | null> =>
      (await listGold(datasetId, { signal })).find((g) => g.itemId === itemId) ?? null,
    args: () => [this.itemId, this.datasetId] as const,
  });

  private async _act(fn: () => Promise<unknown>) {
    this._failure = null;
    try {
      await fn();
      await this._gold.run();
    } catch (err) {
      this._failure = err;
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
    return renderTask(this._gold, (gold) => this._panel(gold), { keep: true });
  }

  private _panel(gold: GoldItem | null) {
    return html`<h2 id="gold-title">${msg('goldTitle')}</h2>
      <p class="muted" id="gold-state">${gold ? msg('goldIs') : msg('goldIntro')}</p>
      ${this._failure ? failed(this._failure) : nothing}
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
