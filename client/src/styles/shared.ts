import { css } from 'lit';

/** Form controls, buttons and chips shared by the components (adopted into each shadow root). */
export const shared = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :host {
    font-family: var(--cs-font);
    color: var(--cs-text);
  }
  h1,
  h2,
  h3 {
    margin: 0;
    font-weight: 600;
    letter-spacing: -0.01em;
  }
  h1 {
    font-size: 1.35rem;
  }
  h2 {
    font-size: 1.05rem;
  }
  h3 {
    font-size: 0.95rem;
  }
  label,
  .label {
    display: block;
    font-size: 0.82rem;
    font-weight: 600;
    color: var(--cs-muted);
    margin-block-end: 0.25rem;
  }
  input[type='text'],
  input[type='url'],
  input[type='search'],
  input[type='password'],
  input:not([type]),
  select,
  textarea {
    font: inherit;
    color: inherit;
    inline-size: 100%;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--cs-border);
    border-radius: var(--cs-radius);
    background: var(--cs-surface);
    line-height: 1.45;
  }
  textarea {
    resize: vertical;
    min-block-size: 4.5rem;
  }
  input:hover,
  select:hover,
  textarea:hover {
    border-color: var(--cs-border-strong);
  }
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  button:focus-visible,
  a:focus-visible,
  summary:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--cs-focus);
    outline-offset: 1px;
  }
  input:disabled,
  select:disabled,
  textarea:disabled {
    background: var(--cs-surface-2);
    color: var(--cs-muted);
  }
  [aria-invalid='true'] {
    border-color: var(--cs-danger);
  }
  button {
    font: inherit;
    font-size: 0.9rem;
    font-weight: 500;
    padding: 0.4rem 0.85rem;
    border-radius: var(--cs-radius);
    border: 1px solid var(--cs-border-strong);
    background: var(--cs-surface);
    color: var(--cs-text);
    cursor: pointer;
    white-space: nowrap;
  }
  button:hover:not(:disabled) {
    background: var(--cs-surface-2);
  }
  button.primary {
    background: var(--cs-accent);
    border-color: var(--cs-accent);
    color: #fff;
  }
  button.primary:hover:not(:disabled) {
    background: var(--cs-accent-strong);
  }
  button.danger {
    color: var(--cs-danger);
    border-color: color-mix(in srgb, var(--cs-danger) 40%, white);
  }
  button.link {
    border: none;
    background: none;
    padding: 0.15rem 0.3rem;
    color: var(--cs-accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  a {
    color: var(--cs-accent);
  }
  .field {
    margin-block-end: 0.9rem;
  }
  fieldset.plain {
    border: none;
    padding: 0;
    margin: 0 0 0.9rem;
    min-inline-size: 0;
  }
  .row {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .grid {
    display: grid;
    gap: 0.75rem;
    grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
  }
  .problem {
    color: var(--cs-danger);
    font-size: 0.82rem;
    margin: 0.25rem 0 0;
  }
  .muted {
    color: var(--cs-muted);
    font-size: 0.85rem;
  }
  .card {
    background: var(--cs-surface);
    border: 1px solid var(--cs-border);
    border-radius: calc(var(--cs-radius) + 2px);
    padding: 1rem 1.1rem;
    box-shadow: var(--cs-shadow);
  }
  .badge {
    display: inline-block;
    font-size: 0.75rem;
    font-weight: 600;
    padding: 0.05rem 0.45rem;
    border-radius: 999px;
    background: var(--cs-accent-soft);
    color: var(--cs-accent-strong);
    font-family: var(--cs-font-mono);
    letter-spacing: 0.02em;
  }
  .notice {
    padding: 0.6rem 0.8rem;
    border-radius: var(--cs-radius);
    background: var(--cs-info-soft);
    color: var(--cs-info);
    font-size: 0.9rem;
  }
  .notice.error {
    background: var(--cs-danger-soft);
    color: var(--cs-danger);
  }
  .notice.ok {
    background: var(--cs-ok-soft);
    color: var(--cs-ok);
  }
  .notice.warn {
    background: var(--cs-warn-soft);
    color: var(--cs-warn);
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  /* Phones: controls big enough for a thumb (44 px, as WCAG 2.5.5 and the platform guidelines ask). */
  @media (max-width: 40rem) {
    button,
    select,
    input:not([type='radio'], [type='checkbox'], [type='range']) {
      min-block-size: 44px;
    }
    input[type='radio'],
    input[type='checkbox'] {
      inline-size: 1.4rem;
      block-size: 1.4rem;
    }
  }
`;
