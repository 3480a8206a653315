import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { LIMITS, difficulties, expectedBehaviors, type ItemFields } from '../../../schema/item.ts';
import type { TaxonomyId } from '../../../schema/taxonomy.ts';
import { I18nController, languageName, msg } from '../i18n/index.ts';
import { shared } from '../styles/shared.ts';
import { fieldBlur, fieldChange, type Problems } from './field-change.ts';
import './cs-answer-fields.ts';
import './cs-sources-editor.ts';
import './cs-tag-picker.ts';
import './cs-taxonomy-select.ts';

type TextField = 'question' | 'questionEn' | 'rationale' | 'notes' | 'country' | 'region' | 'context';
type NodeField = 'primaryCategory' | 'hazard' | 'attackStyle';

/** The item's fields, in sections. Every edit fires `field-change`; the editor saves. */
@customElement('cs-item-form')
export class CsItemForm extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      section h2 {
        font-size: 0.8rem;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--cs-accent);
        margin-block-end: 0.75rem;
      }
      #f-question {
        font-size: 1.15rem;
        line-height: 1.6;
        min-block-size: 6rem;
      }
      .two {
        display: grid;
        gap: 0 0.75rem;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
      }
    `,
  ];

  @property({ attribute: false }) fields!: ItemFields;
  @property({ attribute: false }) problems: Problems = {};
  @property({ type: Boolean }) readonly = false;
  protected readonly i18n = new I18nController(this);

  override firstUpdated(): void {
    // Tells the editor which control was left (see fieldBlur).
    this.renderRoot.addEventListener('focusout', (e) => this.dispatchEvent(fieldBlur(e)));
  }

  /** Moves focus to the control of a problem path ("question", "options.2", "hazard", "sources.0.url"…). */
  focusProblem(path: string): boolean {
    const root = path.split('.')[0] ?? path;
    const answers = [
      'referenceAnswer',
      'answerEn',
      'options',
      'correctIndex',
      'acceptedAnswers',
      'trueFalseAnswer',
    ];
    if (answers.includes(root))
      return this.renderRoot.querySelector('cs-answer-fields')?.focusProblem(path) ?? false;
    const inner = (host: string, selector: string) =>
      this.renderRoot.querySelector(host)?.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
    const el =
      root === 'sources'
        ? inner('cs-sources-editor', `#source-url-${path.split('.')[1] ?? 0}`)
        : root === 'primaryCategory' || root === 'hazard' || root === 'attackStyle'
          ? inner(`#f-${root}`, 'select')
          : this.renderRoot.querySelector<HTMLElement>(`#f-${root}`);
    el?.focus();
    return !!el;
  }

  private _emit<K extends keyof ItemFields>(field: K, value: ItemFields[K]) {
    this.dispatchEvent(fieldChange(field, value));
  }

  private _text(
    field: TextField,
    label: string,
    opts: { multiline?: boolean; lang?: string; max?: number } = {},
  ) {
    const id = `f-${field}`;
    const p = this.problems[field];
    const value = live(this.fields[field] ?? '');
    const max = opts.max ?? LIMITS.answer;
    const lang = opts.lang ?? this.fields.language;
    // Optional text fields are null when empty, so a cleared field is not "" on the server.
    const nullable = field !== 'question';
    const onInput = (e: Event) => {
      const v = (e.target as HTMLInputElement | HTMLTextAreaElement).value;
      this._emit(field, nullable && v === '' ? null : v);
    };
    const common = {
      id,
      invalid: p ? 'true' : 'false',
      described: p ? `p-${field}` : nothing,
    };
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${
        opts.multiline
          ? html`<textarea
              id=${common.id}
              dir="auto"
              lang=${lang}
              rows="3"
              maxlength=${max}
              ?disabled=${this.readonly}
              aria-invalid=${common.invalid}
              aria-describedby=${common.described}
              .value=${value}
              @input=${onInput}
            ></textarea>`
          : html`<input
              id=${common.id}
              type="text"
              dir="auto"
              lang=${lang}
              maxlength=${max}
              ?disabled=${this.readonly}
              aria-invalid=${common.invalid}
              aria-describedby=${common.described}
              .value=${value}
              @input=${onInput}
            />`
      }
      ${p ? html`<p class="problem" id=${`p-${field}`}>${p}</p>` : nothing}
    </div>`;
  }

  private _node(field: NodeField, taxonomyId: TaxonomyId, label: string) {
    return html`<div class="field">
      <cs-taxonomy-select
        id=${`f-${field}`}
        .taxonomyId=${taxonomyId}
        .label=${label}
        .value=${this.fields[field]}
        .problem=${this.problems[field] ?? null}
        ?disabled=${this.readonly}
        @value-change=${(e: CustomEvent<string | null>) => this._emit(field, e.detail)}
      ></cs-taxonomy-select>
    </div>`;
  }

  private _choice<T extends string>(
    field: 'difficulty' | 'expectedBehavior',
    label: string,
    values: readonly T[],
    text: (v: T) => string,
  ) {
    const id = `f-${field}`;
    const p = this.problems[field];
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <select
        id=${id}
        ?disabled=${this.readonly}
        aria-invalid=${p ? 'true' : 'false'}
        @change=${(e: Event) => this._emit(field, ((e.target as HTMLSelectElement).value || null) as never)}
      >
        <option value="" ?selected=${!this.fields[field]}>${msg('chooseOne')}</option>
        ${values.map((v) => html`<option value=${v} ?selected=${this.fields[field] === v}>${text(v)}</option>`)}
      </select>
      ${p ? html`<p class="problem">${p}</p>` : nothing}
    </div>`;
  }

  override render() {
    const f = this.fields;
    return html`
      <section class="card" aria-labelledby="s-question">
        <h2 id="s-question">${msg('sectionQuestion')}</h2>
        ${this._text('context', msg('fieldContext'), { multiline: true, max: LIMITS.context })}
        ${this._text('question', msg('fieldQuestion'), { multiline: true, max: LIMITS.question })}
        ${this._text('questionEn', msg('fieldQuestionEn'), { multiline: true, lang: 'en', max: LIMITS.question })}
      </section>
      <section class="card" aria-labelledby="s-answer">
        <h2 id="s-answer">${msg('sectionAnswer')} · ${msg(`format_${f.format}`)}</h2>
        <cs-answer-fields
          .fields=${f}
          .problems=${this.problems}
          ?readonly=${this.readonly}
        ></cs-answer-fields>
      </section>
      ${
        f.kind === 'safety'
          ? html`<section class="card" aria-labelledby="s-safety">
              <h2 id="s-safety">${msg('sectionSafety')}</h2>
              <div class="two">
                ${this._node('hazard', 'safety-hazards', msg('fieldHazard'))}
                ${this._node('attackStyle', 'attack-styles', msg('fieldAttackStyle'))}
                ${this._choice('expectedBehavior', msg('fieldExpectedBehavior'), expectedBehaviors, (b) =>
                  msg(`behavior_${b}`),
                )}
              </div>
            </section>`
          : nothing
      }
      <section class="card" aria-labelledby="s-category">
        <h2 id="s-category">${msg('sectionCategory')}</h2>
        <div class="two">
          ${this._node('primaryCategory', 'socio-cultural', msg('fieldPrimaryCategory'))}
          ${this._choice('difficulty', msg('fieldDifficulty'), difficulties, (d) => msg(`difficulty_${d}`))}
        </div>
        <cs-tag-picker .tags=${f.secondaryTags} ?readonly=${this.readonly}></cs-tag-picker>
      </section>
      <section class="card" aria-labelledby="s-locale">
        <h2 id="s-locale">${msg('sectionLocale')}</h2>
        <div class="two">
          <div class="field">
            <label for="f-language">${msg('fieldLanguage')}</label>
            <input
              id="f-language"
              type="text"
              disabled
              .value=${`${languageName(f.language)} (${f.language})`}
            />
          </div>
          ${this._text('country', msg('fieldCountry'), { lang: 'en', max: 2 })}
          ${this._text('region', msg('fieldRegion'), { max: LIMITS.region })}
        </div>
      </section>
      <section class="card" aria-labelledby="s-support">
        <h2 id="s-support">${msg('sectionSupport')}</h2>
        ${this._text('rationale', msg('fieldRationale'), { multiline: true })}
        <cs-sources-editor
          .sources=${f.sources}
          .textLang=${f.language}
          .problem=${this.problems.sources ?? null}
          ?readonly=${this.readonly}
        ></cs-sources-editor>
      </section>
      <section class="card" aria-labelledby="s-notes">
        <h2 id="s-notes">${msg('sectionNotes')}</h2>
        ${this._text('notes', msg('fieldNotes'), { multiline: true, max: LIMITS.notes })}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cs-item-form': CsItemForm;
  }
}
