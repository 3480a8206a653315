import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SaveStatus } from '../autosave/autosaver.ts';
import { I18nController, msg } from '../i18n/index.ts';

/** The always-visible autosave state. `data-status` is for tests and styling. */
@customElement('cs-save-status')
export class CsSaveStatus extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
    }
    span {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      font-size: 0.85rem;
      font-weight: 500;
      padding: 0.2rem 0.65rem;
      border-radius: 999px;
      background: var(--cs-surface-2);
      color: var(--cs-muted);
      border: 1px solid var(--cs-border);
    }
    span::before {
      content: '';
      inline-size: 0.5rem;
      block-size: 0.5rem;
      border-radius: 50%;
      background: currentColor;
    }
    .saved {
      color: var(--cs-ok);
      background: var(--cs-ok-soft);
      border-color: transparent;
    }
    .pending,
    .saving {
      color: var(--cs-info);
      background: var(--cs-info-soft);
      border-color: transparent;
    }
    .offline,
    .invalid {
      color: var(--cs-warn);
      background: var(--cs-warn-soft);
      border-color: transparent;
    }
    .conflict,
    .error {
      color: var(--cs-danger);
      background: var(--cs-danger-soft);
      border-color: transparent;
    }
  `;

  @property({ reflect: true }) status: SaveStatus = 'saved';
  @property() error: string | null = null;
  protected readonly i18n = new I18nController(this);

  override render() {
    const text =
      this.status === 'error' ? msg('save_error', { message: this.error ?? '' }) : msg(`save_${this.status}`);
    return html`<span class=${this.status} role="status" aria-live="polite" data-status=${this.status}
      >${text}</span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-save-status': CsSaveStatus;
  }
}
