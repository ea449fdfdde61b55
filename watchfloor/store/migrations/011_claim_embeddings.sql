-- Each claim's sentence embedding (all-MiniLM-L6-v2 int8 ONNX, unit vector, 384 float16 = 768 bytes),
-- computed once at ingest for stance by meaning. NULL for claims stored before embeddings existed or
-- without the model installed: those fall back to the lexical stance rule until reprocessed.
ALTER TABLE claims ADD COLUMN embedding BLOB;
