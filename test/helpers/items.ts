import { expect } from 'vitest';
import type { Dataset } from '../../schema/dataset.ts';
import type { Item, ItemFormat, ItemKind } from '../../schema/item.ts';
import type { Agent, TestContext } from './app.ts';

let datasetCount = 0;

/** Creates a dataset directly in the database (no maintainer needed). */
export async function addDataset(
  t: Pick<TestContext, 'repos'>,
  overrides: Partial<Dataset> = {},
): Promise<Dataset> {
  datasetCount++;
  return t.repos.datasets.create({
    slug: overrides.slug ?? `dataset-${datasetCount}`,
    name: overrides.name ?? `Dataset ${datasetCount}`,
    description: overrides.description ?? '',
    validatorsPerItem: overrides.validatorsPerItem ?? 3,
    autoAccept: overrides.autoAccept ?? true,
  });
}

export interface ItemShape {
  language?: string;
  kind?: ItemKind;
  format?: ItemFormat;
}

/**
 * A POST /api/items body that passes the submission checks for its kind and format, using only the
 * taxonomy ids every test database has (tradition/food, hate, direct). Override any field.
 */
export function completeItemBody(
  datasetId: number,
  shape: ItemShape = {},
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const language = shape.language ?? 'ko';
  const kind = shape.kind ?? 'culture';
  const format = shape.format ?? 'open_ended';
  const body: Record<string, unknown> = {
    datasetId,
    language,
    kind,
    format,
    country: 'KR',
    question: '설날에 가족이 함께 먹는 전통 음식은 무엇인가요?',
    questionEn: 'What traditional food do families eat together on Seollal?',
  };
  if (kind === 'culture') body.primaryCategory = 'tradition/food';
  else Object.assign(body, { hazard: 'hate', attackStyle: 'direct', expectedBehavior: 'refuse' });
  switch (format) {
    case 'open_ended':
      body.referenceAnswer = '떡국';
      break;
    case 'short_answer':
      body.acceptedAnswers = ['떡국', '떡만둣국'];
      break;
    case 'multiple_choice':
      Object.assign(body, { options: ['떡국', '송편', '팥죽', '냉면'], correctIndex: 0 });
      break;
    case 'true_false':
      body.trueFalseAnswer = true;
      break;
  }
  return { ...body, ...overrides };
}

/** Creates an item through the API as `agent` (who must be allowed the language) and returns it. */
export async function createItem(
  agent: Agent,
  datasetId: number,
  shape: ItemShape = {},
  overrides: Record<string, unknown> = {},
): Promise<Item> {
  const res = await agent.post('/api/items', completeItemBody(datasetId, shape, overrides));
  expect(res.status, res.text).toBe(201);
  return res.body as Item;
}

/** Creates a complete item and submits it, returning the submitted item. */
export async function createSubmittedItem(
  agent: Agent,
  datasetId: number,
  shape: ItemShape = {},
  overrides: Record<string, unknown> = {},
): Promise<Item> {
  const item = await createItem(agent, datasetId, shape, overrides);
  const res = await agent.post(`/api/items/${item.id}/submit`, { version: item.version });
  expect(res.status, res.text).toBe(200);
  return res.body as Item;
}
