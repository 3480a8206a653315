-- 012: search that finds what people type. Every searchable field is indexed (question side: question,
-- its English gloss, options, notes; answer side: reference answer, its gloss, accepted answers,
-- rationale), for terms of any length, after script folding (server/domain/text-normalize.ts
-- foldForSearch: case, Latin accents, Arabic harakat/tatweel/letter variants, Hebrew points,
-- full-width forms), while the items keep their text as typed.
--
-- items_search_text holds each item's folded text, written by the item triggers in the same statement
-- as the item (cs_search_text, a JS function every connection registers), so it is always current.
-- The two FTS5 indexes are built from it and follow it in batches: a write only queues the item in
-- items_search_pending; the catch-up (server/db/search-catch-up.ts, on its own thread) indexes the queue
-- in small transactions, and a search reads the index for the items not queued and scans the folded
-- text of the queued ones, so results are exact without a request ever indexing anything.
-- items_fts: trigram index (terms of three or more characters). items_fts_short: the one- and
-- two-character substrings of each whitespace-separated chunk, hex-encoded (cs_search_keys), for
-- shorter terms.
DROP TRIGGER items_fts_insert;
DROP TRIGGER items_fts_delete;
DROP TRIGGER items_search_update;
DROP TRIGGER items_bigrams_insert;
DROP TRIGGER items_bigrams_delete;
DROP TABLE items_fts;
DROP TABLE items_bigrams;
DROP TABLE items_search_pending;

CREATE TABLE items_search_text (
  item_id       INTEGER PRIMARY KEY,
  question      TEXT NOT NULL,
  question_more TEXT NOT NULL,
  answers       TEXT NOT NULL
) STRICT;

CREATE TABLE items_search_pending (
  item_id INTEGER PRIMARY KEY
) STRICT;

CREATE VIRTUAL TABLE items_fts USING fts5(
  question, question_more, answers, content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE VIRTUAL TABLE items_fts_short USING fts5(
  question_keys, answer_keys, content = '', contentless_delete = 1, detail = 'column', tokenize = 'ascii'
);

INSERT INTO items_search_text (item_id, question, question_more, answers)
SELECT id, cs_search_text(question),
       cs_search_text(question_en, (SELECT group_concat(value, char(10)) FROM json_each(options)), notes),
       cs_search_text(reference_answer, answer_en, (SELECT group_concat(value, char(10)) FROM json_each(accepted_answers)), rationale)
FROM items;
INSERT INTO items_fts (rowid, question, question_more, answers)
SELECT item_id, question, question_more, answers FROM items_search_text;
INSERT INTO items_fts_short (rowid, question_keys, answer_keys)
SELECT item_id, cs_search_keys(question, question_more), cs_search_keys(answers) FROM items_search_text;

CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
  INSERT INTO items_search_text (item_id, question, question_more, answers)
  VALUES (new.id, cs_search_text(new.question),
          cs_search_text(new.question_en, (SELECT group_concat(value, char(10)) FROM json_each(new.options)), new.notes),
          cs_search_text(new.reference_answer, new.answer_en,
                         (SELECT group_concat(value, char(10)) FROM json_each(new.accepted_answers)), new.rationale));
  INSERT INTO items_search_pending (item_id) VALUES (new.id);
END;

CREATE TRIGGER items_search_update
AFTER UPDATE OF question, question_en, reference_answer, answer_en, accepted_answers, options, notes, rationale ON items BEGIN
  UPDATE items_search_text
  SET question = cs_search_text(new.question),
      question_more = cs_search_text(new.question_en, (SELECT group_concat(value, char(10)) FROM json_each(new.options)), new.notes),
      answers = cs_search_text(new.reference_answer, new.answer_en,
                               (SELECT group_concat(value, char(10)) FROM json_each(new.accepted_answers)), new.rationale)
  WHERE item_id = new.id;
  INSERT OR IGNORE INTO items_search_pending (item_id) VALUES (new.id);
END;

CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
  DELETE FROM items_search_text WHERE item_id = old.id;
  DELETE FROM items_search_pending WHERE item_id = old.id;
  DELETE FROM items_fts WHERE rowid = old.id;
  DELETE FROM items_fts_short WHERE rowid = old.id;
END;
