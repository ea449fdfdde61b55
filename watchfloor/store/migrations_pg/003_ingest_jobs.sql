-- Ingest jobs submitted through the API (issue part 3): a persistent queue any server process can read and
-- one worker (the `serve` background thread, or `watchfloor worker`) runs. A worker claims a queued job with
-- a compare-and-set UPDATE (... WHERE id = ? AND state = 'queued'), refreshes heartbeat_at while it runs and
-- writes progress; a job left 'running' by a worker that died (stale heartbeat, or a dead pid on this host)
-- is put back to 'queued' and resumes (ingest skips inputs already stored). Plain SQL: timestamps are UTC
-- ISO-8601 text, JSON is text.
CREATE TABLE ingest_jobs (
    id            TEXT PRIMARY KEY,
    state         TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    inputs        TEXT NOT NULL,                 -- JSON list: the targets to ingest (URLs, server-side paths)
    names         TEXT NOT NULL DEFAULT '{}',    -- JSON {target: the name the user knows it by}
    uploads       TEXT NOT NULL DEFAULT '[]',    -- JSON list: files the server wrote; deleted if nothing stored
    created_at    TEXT NOT NULL,                 -- with microseconds: the queue runs in this order
    started_at    TEXT,                          -- first claim
    finished_at   TEXT,
    done          INTEGER NOT NULL DEFAULT 0,    -- inputs finished so far
    total         INTEGER,                       -- inputs expected (a feed counts as one until it is read)
    report        TEXT,                          -- JSON: the ingest report, once done
    results       TEXT NOT NULL DEFAULT '[]',    -- JSON list: per input outcome (inputs refused at submit first)
    error         TEXT,                          -- one line, when failed
    owner_pid     INTEGER,                       -- the worker running it
    owner_host    TEXT,
    heartbeat_at  TEXT,                          -- refreshed by the running worker
    attempts      INTEGER NOT NULL DEFAULT 0,    -- claims so far (a re-queued job is claimed again)
    store_mark    INTEGER                        -- documents stored before the first attempt (outcomes)
);
CREATE INDEX ingest_jobs_state ON ingest_jobs(state, created_at);
