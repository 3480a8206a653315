-- 018: few-shot exemplars (issue 13, point 9).
--
-- items.split: which split of a release the item goes to. `test` (every item, by default) is what models are
-- scored on; `dev` marks a few-shot exemplar, written to the release's `dev` split in every format and named by
-- the lm-eval tasks as their `fewshot_split`. Set by maintainers (PUT /api/items/:id/split); not an authored
-- field, so it writes no revision and does not change the item's version.
ALTER TABLE items ADD COLUMN split TEXT NOT NULL DEFAULT 'test' CHECK (split IN ('test', 'dev'));
