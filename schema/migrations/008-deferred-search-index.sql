-- 008: text edits reach the full-text indexes lazily. Autosave writes an item many times a minute;
-- re-tokenising all its text into two FTS indexes on every save was most of a save's cost. An edit
-- now only records the item, with the text the indexes still hold (the first such row wins), and
-- the repository brings the indexes up to date before any search reads them (and on a timer), so
-- searches stay exact. New and deleted items are still indexed at once.
CREATE TABLE items_search_pending (
  item_id          INTEGER PRIMARY KEY,
  question         TEXT,
  question_en      TEXT,
  reference_answer TEXT,
  answer_en        TEXT,
  accepted_answers TEXT,
  options          TEXT,
  notes            TEXT
) STRICT;

DROP TRIGGER items_fts_update;
DROP TRIGGER items_bigrams_update;

CREATE TRIGGER items_search_update AFTER UPDATE OF question, question_en, reference_answer, answer_en, accepted_answers, options, notes ON items BEGIN
  INSERT OR IGNORE INTO items_search_pending (item_id, question, question_en, reference_answer, answer_en, accepted_answers, options, notes)
  VALUES (old.id, old.question, old.question_en, old.reference_answer, old.answer_en, old.accepted_answers, old.options, old.notes);
END;

-- A deleted item leaves the indexes with the text they hold, which is the pending row's if there is one.
DROP TRIGGER items_fts_delete;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
  INSERT INTO items_fts (items_fts, rowid, question, question_en, reference_answer, answer_en, accepted_answers, options, notes)
  SELECT 'delete', old.id, coalesce(p.question, old.question), coalesce(p.question_en, old.question_en),
         coalesce(p.reference_answer, old.reference_answer), coalesce(p.answer_en, old.answer_en),
         coalesce(p.accepted_answers, old.accepted_answers), coalesce(p.options, old.options), coalesce(p.notes, old.notes)
  FROM (SELECT 1) LEFT JOIN items_search_pending p ON p.item_id = old.id;
  DELETE FROM items_search_pending WHERE item_id = old.id;
END;
