-- 006: an index for two-character search terms, which the trigram index cannot match. It covers the
-- short fields (question, its gloss, accepted answers, options) where such words are searched for;
-- longer terms search every field through the trigram index.
-- Keys come from cs_bigram_keys(), a deterministic SQL function every connection registers
-- (server/db/connection.ts): hex-encoded two-character substrings of each word.
CREATE VIRTUAL TABLE items_bigrams USING fts5(keys, content = '', contentless_delete = 1, tokenize = 'ascii');

INSERT INTO items_bigrams (rowid, keys)
SELECT id, cs_bigram_keys(question, question_en, accepted_answers, options)
FROM items;

CREATE TRIGGER items_bigrams_insert AFTER INSERT ON items BEGIN
  INSERT INTO items_bigrams (rowid, keys)
  VALUES (new.id, cs_bigram_keys(new.question, new.question_en, new.accepted_answers, new.options));
END;
CREATE TRIGGER items_bigrams_delete AFTER DELETE ON items BEGIN
  DELETE FROM items_bigrams WHERE rowid = old.id;
END;
CREATE TRIGGER items_bigrams_update AFTER UPDATE OF question, question_en, accepted_answers, options ON items BEGIN
  DELETE FROM items_bigrams WHERE rowid = old.id;
  INSERT INTO items_bigrams (rowid, keys)
  VALUES (new.id, cs_bigram_keys(new.question, new.question_en, new.accepted_answers, new.options));
END;
