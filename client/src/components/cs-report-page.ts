import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Judge } from '../../../schema/judge.ts';
import type { Release } from '../../../schema/release.ts';
import type { ReportCell, ScoringReport } from '../../../schema/scoring.ts';
import { listJudges } from '../data/judges.ts';
import { listReleases } from '../data/releases.ts';
import { loadReport, reportExportUrl } from '../data/scoring.ts';
import type { TaxonomyNode } from '../../../schema/taxonomy.ts';
import { taxonomyNodes } from '../data/taxonomies.ts';
import { I18nController, msg } from '../i18n/index.ts';
import { categoryLabel } from '../i18n/labels.ts';
import { shared } from '../styles/shared.ts';
import './cs-report-chart.ts';
import './cs-report-compare.ts';
import './cs-report-headline.ts';
import './cs-report-items.ts';
import { figure } from './report-figures.ts';
import { reportTableStyles } from './report-table-styles.ts';
import { renderTask } from './task-status.ts';

type View = 'scores' | 'compare' | 'headline';

/**
 * The scoring report of a release: models side by side (a chart of accuracy, export and drill-down), two models
 * compared item by item, or the headline table.
 */
@customElement('cs-report-page')
export class CsReportPage extends LitElement {
  static override styles = [
    shared,
    reportTableStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      .row {
        display: flex;
        gap: 0.8rem;
        align-items: end;
        flex-wrap: wrap;
      }
      td {
        min-inline-size: 7rem;
      }
    `,
  ];

  @state() private _releaseId = 0;
  @state() private _nodes = new Map<string, TaxonomyNode>();
  @state() private _group: 'overall' | 'language-category' = 'overall';
  @state() private _view: View = 'scores';
  /** A judge whose trusted slices score the answers no person rated; 0: people only. */
  @state() private _judgeId = 0;
  @state() private _judges: Judge[] = [];
  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void taxonomyNodes()
      .then((nodes) => (this._nodes = nodes))
      .catch(() => {});
    void listJudges()
      .then((judges) => (this._judges = judges))
      .catch(() => {});
  }

  /** The published releases; the report opens on the first. */
  private readonly _releases = new Task(this, {
    task: async (_args, { signal }): Promise<Release[]> => {
      const published = (await listReleases(undefined, { signal })).filter((x) => x.state === 'published');
      if (!this._releaseId) this._releaseId = published[0]?.id ?? 0;
      return published;
    },
    args: () => [],
  });

  /** The report of the release picked; another release aborts the request for the one before. */
  private readonly _report = new Task(this, {
    task: ([releaseId, judgeId], { signal }) => loadReport(releaseId, { signal }, judgeId || undefined),
    args: () => [this._releaseId, this._judgeId] as const,
    autoRun: false,
  });

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if ((changed.has('_releaseId') || changed.has('_judgeId')) && this._releaseId) void this._report.run();
  }

  private _rows(report: ScoringReport): ReportCell[] {
    return report.cells.filter((c) =>
      this._group === 'overall'
        ? c.category === '*' && c.kind === '*' && c.format === '*'
        : c.language !== '*' && c.category !== '*',
    );
  }

  override render() {
    return html`<h1>${msg('reportTitle')}</h1>
      <p class="muted">${msg('reportIntro')}</p>
      ${renderTask(this._releases, (releases) => this._controls(releases))}
      ${renderTask(this._report, (report) => this._body(report))}
      ${this._releaseId ? html`<cs-report-items .releaseId=${this._releaseId}></cs-report-items>` : nothing}`;
  }

  private _controls(releases: Release[]) {
    return html`<div class="row">
      <div>
        <label for="release">${msg('release')}</label>
        <select
          id="release"
          @change=${(e: Event) => (this._releaseId = Number((e.target as HTMLSelectElement).value))}
        >
          ${releases.map((r) => html`<option value=${r.id}>${r.title} ${r.version}</option>`)}
        </select>
      </div>
      <div>
        <label for="view">${msg('reportView')}</label>
        <select
          id="view"
          @change=${(e: Event) => (this._view = (e.target as HTMLSelectElement).value as View)}
        >
          <option value="scores">${msg('reportViewScores')}</option>
          <option value="compare">${msg('reportViewCompare')}</option>
          <option value="headline">${msg('reportViewHeadline')}</option>
        </select>
      </div>
      <div ?hidden=${this._view !== 'scores'}>
        <label for="group">${msg('groupBy')}</label>
        <select
          id="group"
          @change=${(e: Event) => (this._group = (e.target as HTMLSelectElement).value as 'overall')}
        >
          <option value="overall">${msg('groupOverall')}</option>
          <option value="language-category">${msg('groupLanguageCategory')}</option>
        </select>
      </div>
      ${
        this._view === 'scores' && this._judges.length > 0
          ? html`<div>
              <label for="judge">${msg('reportJudge')}</label>
              <select
                id="judge"
                @change=${(e: Event) => (this._judgeId = Number((e.target as HTMLSelectElement).value))}
              >
                <option value="0">${msg('reportJudgeNone')}</option>
                ${this._judges.map((j) => html`<option value=${j.id}>${j.name}</option>`)}
              </select>
            </div>`
          : nothing
      }
      ${
        this._view === 'scores'
          ? html`<a href=${reportExportUrl(this._releaseId, 'csv', this._judgeId || undefined)} download
                >${msg('exportCsv')}</a
              >
              <a href=${reportExportUrl(this._releaseId, 'json', this._judgeId || undefined)} download
                >${msg('exportJson')}</a
              >`
          : nothing
      }
    </div>`;
  }

  private _body(report: ScoringReport) {
    if (this._view === 'compare')
      return html`<cs-report-compare
        .releaseId=${this._releaseId}
        .models=${report.models}
        .nodes=${this._nodes}
      ></cs-report-compare>`;
    if (this._view === 'headline')
      return html`<cs-report-headline .releaseId=${this._releaseId}></cs-report-headline>`;
    const overall = report.cells.filter(
      (c) => c.language === '*' && c.category === '*' && c.kind === '*' && c.format === '*',
    );
    return html`${report.models.length === 0 ? html`<p class="muted">${msg('noReport')}</p>` : nothing}
    ${
      overall.length > 0
        ? html`<cs-report-chart
            caption=${msg('colAccuracy')}
            .bars=${overall.map((c) => ({ label: c.modelName, estimate: c.accuracy }))}
          ></cs-report-chart>`
        : nothing
    }
    ${
      report.cells.length > 0
        ? html`<div class="scroll" tabindex="0">
            <table id="scores">
              <thead>
                <tr>
                  <th>${msg('colModel')}</th>
                  <th>${msg('colLanguage')}</th>
                  <th>${msg('colCategory')}</th>
                  <th>${msg('colAccuracy')}</th>
                  <th>${msg('colRated')}</th>
                  <th>${msg('colCultural')}</th>
                  <th>${msg('colQuality')}</th>
                  <th>${msg('colUnsafe')}</th>
                  <th>${msg('colOverRefusal')}</th>
                  <th>${msg('colAgreement')}</th>
                </tr>
              </thead>
              <tbody>
                ${this._rows(report).map(
                  (c) =>
                    html`<tr>
                      <td>${c.modelName}</td>
                      <td>${c.language}</td>
                      <td>${categoryLabel(this._nodes, c.category)}</td>
                      <td>${figure(c.accuracy, true)}</td>
                      <td>${figure(c.ratedCorrectness, true)}</td>
                      <td>${figure(c.culturalAlignment, false)}</td>
                      <td>${figure(c.languageQuality, false)}</td>
                      <td>${figure(c.unsafeRate, true)}</td>
                      <td>${figure(c.overRefusalRate, true)}</td>
                      <td>${c.agreement.correctness === null ? '–' : c.agreement.correctness.toFixed(2)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : nothing
    }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-report-page': CsReportPage;
  }
}
