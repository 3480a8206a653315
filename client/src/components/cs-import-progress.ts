import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { I18nController, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';

export type ImportPhase = 'uploading' | 'reading' | 'writing';

/** A progress bar for one import: upload, then rows checked (polled), then the write. */
@customElement('cs-import-progress')
export class CsImportProgress extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.3rem;
      }
      progress {
        inline-size: 100%;
        block-size: 0.8rem;
        accent-color: var(--cs-accent);
      }
    `,
  ];

  @property() phase: ImportPhase = 'uploading';
  /** 0–1, or null when the step cannot say (the write is one transaction). */
  @property({ type: Number }) fraction: number | null = 0;
  protected readonly i18n = new I18nController(this);

  override render() {
    const percent = Math.round((this.fraction ?? 0) * 100);
    const label =
      this.phase === 'uploading'
        ? msg('importUploading', { percent })
        : this.phase === 'reading'
          ? msg('importReading', { percent })
          : msg('importWriting');
    return html`<span role="status">${label}</span> ${
        this.fraction === null
          ? html`<progress aria-label=${label}></progress>`
          : html`<progress aria-label=${label} max="100" value=${percent}></progress>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-import-progress': CsImportProgress;
  }
}
