import { css } from 'lit';

/** The validation page's own styles (the task, the own-answer step, the reference); shared styles come first. */
export const validationPageStyles = css`
  :host {
    display: grid;
    gap: 1rem;
    max-inline-size: 56rem;
  }
  .question {
    font-size: 1.2rem;
    line-height: 1.6;
    white-space: pre-wrap;
  }
  /* The passage a question refers to: set off by a rule on the side the text starts from. */
  .passage-title {
    margin-block: 0.75rem 0.25rem;
    font-size: 0.85rem;
  }
  .passage {
    line-height: 1.6;
    white-space: pre-wrap;
    border-inline-start: 3px solid var(--cs-border);
    padding-inline-start: 0.75rem;
  }
  /* Letters, as the answer is named after reveal ("Correct: B — …"); the list runs in the item's direction, so
     its letters sit inside the card's padding on either side. */
  ol.options {
    list-style-type: upper-latin;
    padding-inline-start: 2rem;
  }
  ol.options li {
    padding-inline-start: 0.25rem;
  }
  .choices .letter {
    font-weight: 600;
    color: var(--cs-muted);
  }
  #correct-answer {
    font-weight: 600;
  }
  ol.options li.picked,
  ol.options li.correct {
    font-weight: 600;
  }
  ol.options li.correct::after {
    content: ' ✓';
    color: var(--cs-ok);
  }
  .reference {
    border-inline-start: 3px solid var(--cs-accent);
    padding-inline-start: 0.75rem;
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    margin-block-end: 0.75rem;
  }
  .choices label {
    display: inline-flex;
    gap: 0.35rem;
    align-items: center;
    color: var(--cs-text);
    font-weight: 500;
    padding: 0.25rem 0.6rem;
    min-block-size: 44px;
    border: 1px solid var(--cs-border);
    border-radius: var(--cs-radius);
    cursor: pointer;
  }
  #reveal {
    min-block-size: 44px;
  }
  kbd {
    font-family: var(--cs-font-mono);
    font-size: 0.75rem;
    color: var(--cs-muted);
  }
  #own-variants {
    margin-block-end: 0.75rem;
  }
  .head {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
`;
