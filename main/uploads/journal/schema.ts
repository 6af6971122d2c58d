/**
 * The upload journal's tables. Every step of an item is written here before its request goes out, and its outcome
 * as soon as it returns, so a restart after a crash knows exactly where each item stood.
 */

/** Bumped when the tables change; `openJournal` refuses a journal written by a newer version. */
export const JOURNAL_VERSION = 2;

export const JOURNAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Where items go. A new batch is created once, by name, in its workflow on one server and account: a rerun finds
-- it here, and the same command against another server or account gets a target of its own.
CREATE TABLE IF NOT EXISTS targets (
  id INTEGER PRIMARY KEY,
  server TEXT NOT NULL DEFAULT '', -- the API base URL and username (never a secret); '' for targets of version 1
  workflow_id TEXT NOT NULL,
  batch_id TEXT,
  new_batch_name TEXT,
  enabled INTEGER NOT NULL DEFAULT 0,
  declared_kind TEXT,            -- the media kind the user said the workflow takes, if any
  -- 'ready' (batch_id known), 'pending' (to be created), 'creating' (POST sent, outcome not yet recorded)
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- One intake session (a CLI invocation, resumed by the same command after a crash, or one "add" in the app).
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  walk_skipped INTEGER NOT NULL DEFAULT 0,
  server TEXT,                   -- the server and account of the run's target (see serverKey), set as items come in
  cleared INTEGER NOT NULL DEFAULT 0 -- 1 once "Clear finished" took the run out of the queue view
);
CREATE INDEX IF NOT EXISTS runs_key ON runs(key, state);

CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL,
  target_id INTEGER NOT NULL,
  workflow_id TEXT NOT NULL,
  kind TEXT NOT NULL,            -- 'file' | 'record'
  source_key TEXT NOT NULL,      -- the absolute path, or path#n for the n-th record of a records file
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL DEFAULT 0,
  mtime_ms REAL NOT NULL DEFAULT 0,
  media_kind TEXT,
  mime TEXT,
  fps REAL,
  fps_variable INTEGER NOT NULL DEFAULT 0, -- 1 when fps is the average of a variable frame rate
  frame_count INTEGER,
  md5 TEXT,
  payload TEXT,                  -- records: the JSON record to import, external id included
  state TEXT NOT NULL,
  paused INTEGER NOT NULL DEFAULT 0,
  asset_name TEXT,
  asset_id TEXT,
  session_url TEXT,              -- the signed URL, sealed (link-vault.ts); never in plain text
  session_opened_at INTEGER,
  etag TEXT,
  record_id TEXT,
  chunk_id INTEGER,
  reason TEXT,
  resume_state TEXT,             -- where a retry of a failed item starts again
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS items_run_source ON items(run_id, source_key);
-- Covers the runner's next-work queries (ORDER BY id within a state) and the totals' GROUP BY, without table reads.
CREATE INDEX IF NOT EXISTS items_state ON items(state, paused, kind, id, size);
-- "Uploaded before to which workflows?" for each file a scan finds, and "seen before in this workflow?" for each
-- file queued: a path has few entries, read from the table. Without the state in it, this index is left alone by
-- the five state changes of every upload (it replaced items_source, on source key and state, and items_seen).
DROP INDEX IF EXISTS items_seen;
DROP INDEX IF EXISTS items_source;
CREATE INDEX IF NOT EXISTS items_by_source ON items(source_key);
CREATE INDEX IF NOT EXISTS items_chunk ON items(chunk_id) WHERE chunk_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_run ON items(run_id, state, paused, kind, size);
CREATE INDEX IF NOT EXISTS items_target ON items(target_id, state);

-- Counts by run, state, pause flag and kind, kept by triggers (changes) and the journal (inserts), so totals cost the same for 10 items or 100,000.
CREATE TABLE IF NOT EXISTS item_counts (
  run_id INTEGER NOT NULL,
  state TEXT NOT NULL,
  paused INTEGER NOT NULL,
  kind TEXT NOT NULL,
  n INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (run_id, state, paused, kind)
) WITHOUT ROWID;
-- Inserts are counted in bulk by the journal (one upsert per slice): a per-row trigger would cost more than the
-- insert itself.
DROP TRIGGER IF EXISTS items_count_insert;
CREATE TRIGGER IF NOT EXISTS items_count_update AFTER UPDATE OF state, paused ON items
WHEN OLD.state IS NOT NEW.state OR OLD.paused IS NOT NEW.paused BEGIN
  UPDATE item_counts SET n = n - 1, bytes = bytes - OLD.size
  WHERE run_id = OLD.run_id AND state = OLD.state AND paused = OLD.paused AND kind = OLD.kind;
  INSERT INTO item_counts (run_id, state, paused, kind, n, bytes)
  VALUES (NEW.run_id, NEW.state, NEW.paused, NEW.kind, 1, NEW.size)
  ON CONFLICT (run_id, state, paused, kind) DO UPDATE SET n = n + 1, bytes = bytes + excluded.bytes;
END;
CREATE TRIGGER IF NOT EXISTS items_count_delete AFTER DELETE ON items BEGIN
  UPDATE item_counts SET n = n - 1, bytes = bytes - OLD.size
  WHERE run_id = OLD.run_id AND state = OLD.state AND paused = OLD.paused AND kind = OLD.kind;
END;

-- A records request in flight: written before the POST, marked done after. A crash leaves it 'posting'.
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL,
  batch_id TEXT NOT NULL,
  kind TEXT NOT NULL,            -- 'assets' | 'import'
  state TEXT NOT NULL,           -- 'posting' | 'done'
  count_before INTEGER,
  created_at INTEGER NOT NULL
);

-- Per-item history of attempts and errors.
CREATE TABLE IF NOT EXISTS item_events (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  step TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS item_events_item ON item_events(item_id);
`;

/**
 * Run after JOURNAL_SCHEMA, once the targets table has its `server` column (added to a version 1 journal by
 * `openJournal`): targets are unique per server and account, not per workflow alone.
 */
export const TARGET_INDEXES = `
DROP INDEX IF EXISTS targets_existing;
DROP INDEX IF EXISTS targets_named;
CREATE UNIQUE INDEX IF NOT EXISTS targets_existing_on ON targets(server, workflow_id, batch_id) WHERE new_batch_name IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS targets_named_on ON targets(server, workflow_id, new_batch_name) WHERE new_batch_name IS NOT NULL;
`;
