-- How each sentence states its relation (watchfloor.extract.relations.modality): asserted, reported (a
-- named source says it), claimed (a party or an armed group says it), forecast, hypothetical, question,
-- unlikely; and who states it when a speaker does. Rows stored before this migration keep the default:
-- their extractor kept only "hedged". Network and allied/hostile summaries count asserted and reported
-- rows only, unless asked otherwise.
ALTER TABLE relations ADD COLUMN modality TEXT NOT NULL DEFAULT 'asserted';
ALTER TABLE relations ADD COLUMN speaker_entity_id INTEGER REFERENCES entities(id);
CREATE INDEX relations_speaker ON relations(speaker_entity_id);
