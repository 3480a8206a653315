import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ItemStatus } from '../../../schema/item.ts';
import { I18nController, msg } from '../i18n/index.ts';

/** The item status as a coloured chip. */
@customElement('cs-status-chip')
export class CsStatusChip extends LitElement {
  static override styles = css`
    span {
      display: inline-block;
      font-size: 0.75rem;
      font-weight: 600;
      padding: 0.1rem 0.5rem;
      border-radius: 999px;
      white-space: nowrap;
      background: var(--cs-surface-2);
      color: var(--cs-muted);
      border: 1px solid var(--cs-border);
    }
    .submitted,
    .in_validation {
      background: var(--cs-info-soft);
      color: var(--cs-info);
      border-color: transparent;
    }
    .in_review,
    .needs_revision {
      background: var(--cs-warn-soft);
      color: var(--cs-warn);
      border-color: transparent;
    }
    .accepted {
      background: var(--cs-ok-soft);
      color: var(--cs-ok);
      border-color: transparent;
    }
    .rejected {
      background: var(--cs-danger-soft);
      color: var(--cs-danger);
      border-color: transparent;
    }
  `;

  @property() status: ItemStatus = 'draft';
  protected readonly i18n = new I18nController(this);

  override render() {
    return html`<span class=${this.status}>${msg(`status_${this.status}`)}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-status-chip': CsStatusChip;
  }
}
