import { z } from 'zod';
import { text } from './common.ts';

export const datasetSlugSchema = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'Lower-case letters, digits and single dashes only' });

const name = text(200).refine((s) => s.trim().length > 0, { message: 'Give the dataset a name' });
const description = text(10_000);
const validatorsPerItem = z.int().min(1).max(20);

/** POST /api/datasets */
export const createDatasetSchema = z.strictObject({
  slug: datasetSlugSchema,
  name,
  description: description.default(''),
  validatorsPerItem: validatorsPerItem.default(3),
  autoAccept: z.boolean().default(true),
});
export type CreateDatasetInput = z.infer<typeof createDatasetSchema>;

/** PATCH /api/datasets/:id: any subset of the fields. */
export const updateDatasetSchema = z.strictObject({
  slug: datasetSlugSchema.optional(),
  name: name.optional(),
  description: description.optional(),
  validatorsPerItem: validatorsPerItem.optional(),
  autoAccept: z.boolean().optional(),
});
export type UpdateDatasetInput = z.infer<typeof updateDatasetSchema>;

export interface Dataset {
  id: number;
  slug: string;
  name: string;
  description: string;
  /** How many independent validations each submitted item gets. */
  validatorsPerItem: number;
  /** Whether unanimous accepts are accepted without review. */
  autoAccept: boolean;
  createdAt: string;
}
