import type { CreateDatasetInput, Dataset, UpdateDatasetInput } from '../../schema/dataset.ts';
import type { Repositories } from '../db/repositories.ts';
import { conflict, notFound } from '../errors.ts';

const slugTaken = (slug: string) =>
  conflict('slug-taken', `Another dataset already uses the slug "${slug}"`, {
    issues: [{ path: 'slug', code: 'slug-taken', message: 'This slug is taken' }],
  });

/** Creating and configuring datasets (maintainers only; the route checks the role). */
export function createDatasetService(repos: Repositories) {
  return {
    list: async (): Promise<Dataset[]> => await repos.datasets.list(),

    create: (input: CreateDatasetInput): Promise<Dataset> =>
      repos.transaction(async () => {
        if (await repos.datasets.getBySlug(input.slug)) throw slugTaken(input.slug);
        return await repos.datasets.create(input);
      }),

    update: (id: number, changes: UpdateDatasetInput): Promise<Dataset> =>
      repos.transaction(async () => {
        if (!(await repos.datasets.exists(id))) throw notFound('Dataset');
        if (changes.slug !== undefined) {
          const other = await repos.datasets.getBySlug(changes.slug);
          if (other && other.id !== id) throw slugTaken(changes.slug);
        }
        return (await repos.datasets.update(id, changes))!;
      }),
  };
}
export type DatasetService = ReturnType<typeof createDatasetService>;
