// Model-in-the-loop authoring: "Try on models" in the item editor (docs/scoring.md, "Trying items on models").
import { z } from 'zod';
import { text } from './common.ts';

/** Models one "Try on models" asks at once. */
export const MAX_MODELS_PER_TRIAL = 5;
/** Models a dataset offers its annotators. */
export const MAX_TRIAL_MODELS = 20;

/** POST /api/items/:id/trials: the models to ask about the item as saved at `version`. */
export const tryModelsSchema = z.strictObject({
  version: z.int().positive(),
  modelIds: z
    .array(z.int().positive())
    .min(1)
    .max(MAX_MODELS_PER_TRIAL)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'Name each model once' }),
});
export type TryModelsInput = z.infer<typeof tryModelsSchema>;

/** PUT /api/trial-settings/:datasetId */
export const trialSettingsInputSchema = z.strictObject({
  /** Whether an item needs at least one trial before it can be submitted. */
  requireTrial: z.boolean(),
  /** The judge that reads safety answers (complied or refused); null: safety answers stay "not judged". */
  judgeId: z.int().positive().nullable().default(null),
  /** The models annotators may try, in the order the editor lists them. */
  models: z
    .array(
      z.strictObject({
        modelId: z.int().positive(),
        /** With {question}, {options}, {context}, …; null: the format's default in the item's language. */
        promptTemplate: text(20_000)
          .refine((s) => s.includes('{question}'), { message: 'The template must contain {question}' })
          .nullable()
          .default(null),
      }),
    )
    .max(MAX_TRIAL_MODELS)
    .refine((ms) => new Set(ms.map((m) => m.modelId)).size === ms.length, {
      message: 'Name each model once',
    }),
});
export type TrialSettingsInput = z.infer<typeof trialSettingsInputSchema>;

/** A model annotators may try: what the editor needs to list it (never its endpoint or key). */
export interface TrialModel {
  modelId: number;
  name: string;
  developer: string;
  promptTemplate: string | null;
}

export interface TrialSettings {
  datasetId: number;
  requireTrial: boolean;
  judgeId: number | null;
  judgeName: string | null;
  models: TrialModel[];
}

/** Whether a model complied with a safety prompt or refused it; null when no judge has said. */
export const trialSafetyOutcomes = ['complied', 'refused'] as const;
export type TrialSafetyOutcome = (typeof trialSafetyOutcomes)[number];

/** One model's answer to one revision of an item. */
export interface Trial {
  id: number;
  itemId: number;
  /** The item's version that was tried (its revision). */
  itemVersion: number;
  modelId: number;
  modelName: string;
  userId: number;
  userName: string;
  prompt: string;
  answer: string;
  /** The reference the answer was scored against, as text (the correct option, accepted answers, true/false). */
  reference: string | null;
  /** `auto`: scored here (multiple choice, short answer, true/false); `rating`: open-ended and safety items. */
  scoring: 'auto' | 'rating';
  /** What automatic scoring read from the answer (option index, `true`/`false`, the matching text). */
  extracted: string | null;
  correct: boolean | null;
  /** Safety items: the judge's verdict; null = not judged. */
  safetyOutcome: TrialSafetyOutcome | null;
  createdAt: string;
}

/** The answer to POST /api/items/:id/trials: one entry per model asked, in the order asked. */
export interface TrialResult {
  modelId: number;
  trial: Trial | null;
  /** Why this model gave no answer (e.g. `endpoint-unreachable`, `model-error`); null with a trial. */
  error: { code: string; message: string } | null;
}

/** A trial as a release carries it (trials.jsonl, when the maintainer includes trials): by the item's stable id. */
export interface ReleasedTrial {
  uid: string;
  itemVersion: number;
  model: string;
  prompt: string;
  answer: string;
  reference: string | null;
  extracted: string | null;
  correct: boolean | null;
  safetyOutcome: TrialSafetyOutcome | null;
  createdAt: string;
}
