-- Search ranked every matching document by re-parsing its whole text: ts_rank reads the search vector,
-- and the GIN index only held it, so a common word cost 2.7 s at 50,000 documents (the median search in
-- benchmarks/api_concurrency.py). The vector is now a stored column, computed once per document, indexed,
-- and read by ranking (watchfloor.store.postgres.FTS_VECTOR).
ALTER TABLE documents ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', text), 'B')
) STORED;
DROP INDEX IF EXISTS documents_fts;
CREATE INDEX IF NOT EXISTS documents_search_vector ON documents USING gin(search_vector);
