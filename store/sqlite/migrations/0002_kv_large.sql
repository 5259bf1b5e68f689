-- Large values live in a rowid table of their own, the kv row pointing at
-- them. In the WITHOUT ROWID kv table a row is stored whole in the key's
-- b-tree, and SQLite reads a cell's entire record to compare keys
-- whenever the record overflows its page: every seek that passed a 1 MB
-- value read 1 MB. Rowid lookups compare integers only.
CREATE TABLE kv_large (
    id INTEGER PRIMARY KEY,
    v  BLOB NOT NULL
);

-- kv_large.id when the value lives there (kv.v is then empty).
ALTER TABLE kv ADD COLUMN large INTEGER;

-- A replaced or deleted row takes its large value with it, in the same
-- transaction.
CREATE TRIGGER kv_large_replaced AFTER UPDATE OF large ON kv
WHEN old.large IS NOT NULL AND (new.large IS NULL OR new.large != old.large)
BEGIN
    DELETE FROM kv_large WHERE id = old.large;
END;

CREATE TRIGGER kv_large_deleted AFTER DELETE ON kv
WHEN old.large IS NOT NULL
BEGIN
    DELETE FROM kv_large WHERE id = old.large;
END;
