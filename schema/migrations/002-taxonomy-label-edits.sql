-- 002: labels a maintainer set on shipped taxonomy nodes. Re-syncing the shipped defaults on start
-- lays these over the shipped labels, so a maintainer's wording survives upgrades.
ALTER TABLE taxonomy_nodes ADD COLUMN label_edits TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(label_edits));
