-- An actor's page read mentions and documents through indexes that did not cover the query, measured at
-- 50,000 documents (1.6M mentions):
-- * the events naming an actor probed its mentions by entity and then read each mention row for its
--   document and span (a bitmap heap scan of 12,000 rows for a top actor, 20 ms): the index now holds them;
-- * the newest documents mentioning an actor were found by a sequential scan of every document (24 ms),
--   because the published index did not hold the document id: walking (published, id) newest first and
--   probing mentions by (doc_id, entity_id) stops after a page (0.9 ms).
CREATE INDEX IF NOT EXISTS mentions_entity_span ON mentions(entity_id, doc_id, start, "end");
DROP INDEX IF EXISTS mentions_entity;
CREATE INDEX IF NOT EXISTS documents_published_id ON documents(published DESC NULLS LAST, id);
