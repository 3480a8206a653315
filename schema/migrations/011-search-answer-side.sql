-- 011: the two-character index keeps question-side and answer-side keys apart, so a search can match
-- the answers of an item only for callers allowed to read them (answers are withheld from validators:
-- server/db/items.ts ANSWERS_WITHHELD). The trigram index already has a column per field and is
-- filtered by column set; this one had a single column mixing the question and the accepted answers.
-- question_keys: question, its English gloss and the options (visible to whoever sees the item);
-- answer_keys: the accepted answers.
DROP TRIGGER items_bigrams_insert;
DROP TRIGGER items_bigrams_delete;
DROP TABLE items_bigrams;

CREATE VIRTUAL TABLE items_bigrams USING fts5(
  question_keys, answer_keys, content = '', contentless_delete = 1, tokenize = 'ascii'
);

INSERT INTO items_bigrams (rowid, question_keys, answer_keys)
SELECT id, cs_bigram_keys(question, question_en, options), cs_bigram_keys(accepted_answers)
FROM items;

CREATE TRIGGER items_bigrams_insert AFTER INSERT ON items BEGIN
  INSERT INTO items_bigrams (rowid, question_keys, answer_keys)
  VALUES (new.id, cs_bigram_keys(new.question, new.question_en, new.options), cs_bigram_keys(new.accepted_answers));
END;
CREATE TRIGGER items_bigrams_delete AFTER DELETE ON items BEGIN
  DELETE FROM items_bigrams WHERE rowid = old.id;
END;
