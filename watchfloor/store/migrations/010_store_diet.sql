-- Store diet (issue 18): the same facts in fewer bytes.
--
-- 1. mentions_doc(doc_id) is a prefix of mentions_doc_entity(doc_id, entity_id) (migration 007), which
--    serves every look-up by document: drop it.
-- 2. raw_text (the text before furniture removal) is the clean text plus a few removed lines: keep it
--    as a compressed delta against the clean text (raw_delta; raw_text is then ''), computed by the
--    store's wf_raw_delta function (watchfloor/store/rawtext.py), which returns NULL, keeping raw_text
--    whole, when the delta would not rebuild it exactly or would not be smaller.
-- 3. MinHash signatures: only analysed originals are ever compared (duplicates point at their
--    original), and the affine32 values fit in 32 bits: 128 x 4 bytes instead of 128 x 8.
DROP INDEX IF EXISTS mentions_doc;

ALTER TABLE documents ADD COLUMN raw_delta BLOB;
UPDATE documents SET raw_delta = wf_raw_delta(raw_text, text) WHERE raw_text != '';
UPDATE documents SET raw_text = '' WHERE raw_delta IS NOT NULL;

UPDATE documents SET minhash = NULL
WHERE minhash IS NOT NULL AND (status != 'analysed' OR duplicate_of IS NOT NULL);
-- Little-endian 64-bit values below 2**32: the low 4 bytes of each 8 are the value.
UPDATE documents SET minhash = CAST(
    substr(minhash, 1, 4) || substr(minhash, 9, 4) || substr(minhash, 17, 4) || substr(minhash, 25, 4) || substr(minhash, 33, 4) || substr(minhash, 41, 4) ||
    substr(minhash, 49, 4) || substr(minhash, 57, 4) || substr(minhash, 65, 4) || substr(minhash, 73, 4) || substr(minhash, 81, 4) || substr(minhash, 89, 4) ||
    substr(minhash, 97, 4) || substr(minhash, 105, 4) || substr(minhash, 113, 4) || substr(minhash, 121, 4) || substr(minhash, 129, 4) || substr(minhash, 137, 4) ||
    substr(minhash, 145, 4) || substr(minhash, 153, 4) || substr(minhash, 161, 4) || substr(minhash, 169, 4) || substr(minhash, 177, 4) || substr(minhash, 185, 4) ||
    substr(minhash, 193, 4) || substr(minhash, 201, 4) || substr(minhash, 209, 4) || substr(minhash, 217, 4) || substr(minhash, 225, 4) || substr(minhash, 233, 4) ||
    substr(minhash, 241, 4) || substr(minhash, 249, 4) || substr(minhash, 257, 4) || substr(minhash, 265, 4) || substr(minhash, 273, 4) || substr(minhash, 281, 4) ||
    substr(minhash, 289, 4) || substr(minhash, 297, 4) || substr(minhash, 305, 4) || substr(minhash, 313, 4) || substr(minhash, 321, 4) || substr(minhash, 329, 4) ||
    substr(minhash, 337, 4) || substr(minhash, 345, 4) || substr(minhash, 353, 4) || substr(minhash, 361, 4) || substr(minhash, 369, 4) || substr(minhash, 377, 4) ||
    substr(minhash, 385, 4) || substr(minhash, 393, 4) || substr(minhash, 401, 4) || substr(minhash, 409, 4) || substr(minhash, 417, 4) || substr(minhash, 425, 4) ||
    substr(minhash, 433, 4) || substr(minhash, 441, 4) || substr(minhash, 449, 4) || substr(minhash, 457, 4) || substr(minhash, 465, 4) || substr(minhash, 473, 4) ||
    substr(minhash, 481, 4) || substr(minhash, 489, 4) || substr(minhash, 497, 4) || substr(minhash, 505, 4) || substr(minhash, 513, 4) || substr(minhash, 521, 4) ||
    substr(minhash, 529, 4) || substr(minhash, 537, 4) || substr(minhash, 545, 4) || substr(minhash, 553, 4) || substr(minhash, 561, 4) || substr(minhash, 569, 4) ||
    substr(minhash, 577, 4) || substr(minhash, 585, 4) || substr(minhash, 593, 4) || substr(minhash, 601, 4) || substr(minhash, 609, 4) || substr(minhash, 617, 4) ||
    substr(minhash, 625, 4) || substr(minhash, 633, 4) || substr(minhash, 641, 4) || substr(minhash, 649, 4) || substr(minhash, 657, 4) || substr(minhash, 665, 4) ||
    substr(minhash, 673, 4) || substr(minhash, 681, 4) || substr(minhash, 689, 4) || substr(minhash, 697, 4) || substr(minhash, 705, 4) || substr(minhash, 713, 4) ||
    substr(minhash, 721, 4) || substr(minhash, 729, 4) || substr(minhash, 737, 4) || substr(minhash, 745, 4) || substr(minhash, 753, 4) || substr(minhash, 761, 4) ||
    substr(minhash, 769, 4) || substr(minhash, 777, 4) || substr(minhash, 785, 4) || substr(minhash, 793, 4) || substr(minhash, 801, 4) || substr(minhash, 809, 4) ||
    substr(minhash, 817, 4) || substr(minhash, 825, 4) || substr(minhash, 833, 4) || substr(minhash, 841, 4) || substr(minhash, 849, 4) || substr(minhash, 857, 4) ||
    substr(minhash, 865, 4) || substr(minhash, 873, 4) || substr(minhash, 881, 4) || substr(minhash, 889, 4) || substr(minhash, 897, 4) || substr(minhash, 905, 4) ||
    substr(minhash, 913, 4) || substr(minhash, 921, 4) || substr(minhash, 929, 4) || substr(minhash, 937, 4) || substr(minhash, 945, 4) || substr(minhash, 953, 4) ||
    substr(minhash, 961, 4) || substr(minhash, 969, 4) || substr(minhash, 977, 4) || substr(minhash, 985, 4) || substr(minhash, 993, 4) || substr(minhash, 1001, 4) ||
    substr(minhash, 1009, 4) || substr(minhash, 1017, 4)
    AS BLOB)
WHERE length(minhash) = 1024;
