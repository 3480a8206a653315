import { css } from 'lit';

/** The report's tables and figure labels (the scores, the comparison, the headline table). */
export const reportTableStyles = css`
  table {
    border-collapse: collapse;
    font-size: 0.88rem;
  }
  th,
  td {
    padding: 0.3rem 0.5rem;
    border-block-end: 1px solid var(--cs-border);
    text-align: start;
    vertical-align: top;
  }
  .scroll {
    overflow-x: auto;
  }
  .ci,
  .n {
    color: var(--cs-muted);
    white-space: nowrap;
  }
  .few,
  .significant,
  .reference,
  .source {
    display: inline-block;
    font-size: 0.75rem;
    padding: 0 0.35rem;
    border-radius: var(--cs-radius);
    border: 1px dashed currentColor;
    white-space: nowrap;
  }
  .few {
    color: var(--cs-warning, #8a5a00);
  }
  .significant {
    border-style: solid;
    font-weight: 600;
  }
  .source {
    color: var(--cs-accent);
    border-style: dotted;
  }
`;
