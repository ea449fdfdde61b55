-- SQLite's built-in functions the shared store SQL uses, under the same names and meanings, so that SQL
-- runs unchanged on both backends (rather than rewriting each call in the connection adapter).
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN strpos(haystack, needle);

-- Scalar max(a, b) / min(a, b) (PostgreSQL: greatest/least; NULL if either is NULL, as in SQLite).
CREATE FUNCTION max(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END;
CREATE FUNCTION min(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END;
CREATE FUNCTION max(a bigint, b bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END;
CREATE FUNCTION min(a bigint, b bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END;
CREATE FUNCTION max(a double precision, b double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END;
CREATE FUNCTION min(a double precision, b double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END;

-- round(real, digits): PostgreSQL has it for numeric only.
CREATE FUNCTION round(x double precision, digits integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN round(x::numeric, digits)::double precision;

-- sum(condition) counts the rows where it holds (SQLite booleans are integers).
CREATE FUNCTION wf_bool_sum(state bigint, x boolean) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN coalesce(state, 0) + CASE WHEN x THEN 1 ELSE 0 END;
CREATE AGGREGATE sum(boolean) (SFUNC = wf_bool_sum, STYPE = bigint);

-- group_concat(x) / group_concat(x, separator): SQLite's default separator is a comma.
CREATE FUNCTION wf_concat_step(state text, x anyelement, sep text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$SELECT CASE WHEN x IS NULL THEN state WHEN state IS NULL THEN x::text ELSE state || sep || x::text END$$;
CREATE FUNCTION wf_concat_step(state text, x anyelement) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT wf_concat_step(state, x, ',')$$;
CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = wf_concat_step, STYPE = text);
CREATE AGGREGATE group_concat(anyelement) (SFUNC = wf_concat_step, STYPE = text);

-- date(day, '-N days' / '+N days'): the only date arithmetic the store's SQL does.
CREATE FUNCTION date(day text, modifier text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN to_char(day::date + modifier::interval, 'YYYY-MM-DD');

-- wf_norm(name): watchfloor.link.normalize.norm_name in SQL (tests/test_postgres.py checks they agree):
-- typographic quotes and dashes made plain, NFKD with combining marks dropped, lower case, a final
-- possessive and a leading "the " removed, runs of - . / , ( ) " made one space, spaces collapsed.
CREATE FUNCTION wf_fold(name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN regexp_replace(normalize(name, NFKD),
        '[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0900-\u0903\u093a-\u094f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20f0\ufe20-\ufe2f]',
        '', 'g');
CREATE FUNCTION wf_norm(name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN btrim(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        regexp_replace(lower(wf_fold(translate(name, '’‘`‐‑–—', '''''''----'))), '^\s+|\s+$', '', 'g'),
                        '(''s|'')$', ''),
                    '^the ', ''),
                '[-./,()"]+', ' ', 'g'),
            '\s+', ' ', 'g'),
        ' ');

-- `x GLOB pattern` is translated to `x LIKE wf_glob(pattern)` (case-sensitive, * and ? wildcards).
CREATE FUNCTION wf_glob(pattern text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN replace(replace(replace(replace(replace(pattern, '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'), '?', '_');

-- `LIMIT ?` is translated to `LIMIT wf_limit(?)`: SQLite reads a negative limit as "no limit".
CREATE FUNCTION wf_limit(n bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN CASE WHEN n < 0 THEN NULL ELSE n END;

-- substr with real positions (SQLite truncates them to integers).
CREATE FUNCTION substr(s text, start double precision, length double precision) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN substr(s, trunc(start)::integer, trunc(length)::integer);
CREATE FUNCTION substr(s text, start double precision) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN substr(s, trunc(start)::integer);
