import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { ReviewQueuePage } from '../../../schema/validation.ts';
import { reviewQueue } from '../data/validation.ts';
import { I18nController, msg, relativeTime } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { takeNotice } from './carried-notice.ts';
import './cs-queue-progress.ts';
import { renderTask } from './task-status.ts';

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** Items waiting for a reviewer, lowest agreement first. */
@customElement('cs-review-queue')
export class CsReviewQueue extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      table {
        inline-size: 100%;
        border-collapse: collapse;
        font-size: 0.92rem;
      }
      th,
      td {
        text-align: start;
        padding: 0.45rem 0.5rem;
        border-block-end: 1px solid var(--cs-border);
      }
      .scroll {
        overflow-x: auto;
      }
      a.start {
        display: inline-block;
        padding: 0.5rem 1rem;
        border-radius: var(--cs-radius);
        background: var(--cs-accent);
        color: #fff;
        font-weight: 600;
        text-decoration: none;
      }
      .waits {
        display: inline-block;
        margin-inline-start: 0.4rem;
        font-size: 0.78rem;
        color: var(--cs-warn);
        font-weight: 600;
      }
      .bar {
        display: inline-block;
        block-size: 0.5rem;
        background: var(--cs-warn);
        border-radius: 2px;
        vertical-align: middle;
        margin-inline-end: 0.35rem;
      }
    `,
  ];

  /** The confirmation of the decision that emptied the queue, if that is how we got here. */
  private readonly _notice = takeNotice();
  protected readonly i18n = new I18nController(this);

  private readonly _page = new Task(this, {
    task: (_args, { signal }) => reviewQueue({}, { signal }),
    args: () => [],
  });

  override render() {
    return html`<h1>${msg('reviewTitle')}</h1>
      <p class="muted">${msg('reviewIntro')}</p>
      ${this._notice ? html`<p class="notice ok" role="status" id="decided">${this._notice}</p>` : nothing}
      ${renderTask(this._page, (page) => this._queue(page))}`;
  }

  private _queue(page: ReviewQueuePage) {
    const first = page.items[0];
    return html`<cs-queue-progress kind="review" .progress=${page.progress}></cs-queue-progress>
      ${first ? html`<p><a class="start" id="review-start" href="/review/${first.id}">${msg('reviewStart')}</a></p>` : nothing}
      ${
        page.items.length === 0
          ? nothing
          : html`<section class="card scroll">
              <table>
                <thead>
                  <tr>
                    <th>${msg('colQuestion')}</th>
                    <th>${msg('colLanguage')}</th>
                    <th>${msg('reviewAgreement')}</th>
                    <th>${msg('colAuthor')}</th>
                    <th>${msg('colUpdated')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${page.items.map(
                    (i) =>
                      html`<tr data-item=${i.id}>
                        <td>
                          <a href="/review/${i.id}" lang=${i.language} dir="auto">${i.question}</a>
                          ${
                            i.waitsForMaintainer
                              ? html`<span class="waits" data-waits>${msg('reviewWaitsForMaintainer')}</span>`
                              : nothing
                          }
                        </td>
                        <td><span class="badge">${i.language}</span></td>
                        <td>
                          <span
                            class="bar"
                            style="inline-size: ${Math.round((i.agreement ?? 0) * 4)}rem"
                          ></span
                          >${percent(i.agreement)}
                        </td>
                        <td dir="auto">${i.authorName}</td>
                        <td class="muted">${relativeTime(i.updatedAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              <p class="muted">${msg('itemsCount', { count: page.total })}</p>
            </section>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-review-queue': CsReviewQueue;
  }
}
