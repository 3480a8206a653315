-- 020: one word per concept (docs/architecture.md, Glossary). Renames only; every row is kept, and SQLite
-- rewrites the indexes and triggers that name a renamed column or table (no table is rebuilt).
--
-- validations.own_answer_match → own_answer_matches: the API has always said `ownAnswerMatches`.
ALTER TABLE validations RENAME COLUMN own_answer_match TO own_answer_matches;
-- imports.run → attempt: a run is a model answering a release; an import counts its attempts (the times it
--   took its file, migration 016).
ALTER TABLE imports RENAME COLUMN run TO attempt;
-- rating_resolutions → reviewer_ratings: "resolution" is how an item's round was settled (unanimous or
--   adjudicated, a field of every released record); a reviewer's rating of a disagreement is a reviewer rating.
ALTER TABLE rating_resolutions RENAME TO reviewer_ratings;
