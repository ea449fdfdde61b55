-- The extractor's own score for each claim (learned attribution: cue x source x content), so analysts
-- can sort out doubtful extractions. NULL for claims from the hand-written rules or older versions.
ALTER TABLE claims ADD COLUMN extraction_score REAL;
