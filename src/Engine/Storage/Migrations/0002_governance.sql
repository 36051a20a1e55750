-- Governance: the append-only audit log, model ownership, version aliases and their approvals.
-- Times are INTEGER milliseconds since the Unix epoch (UTC).

-- Hash-chained: hash = SHA-256(prev_hash ‖ canonical entry), see docs/api.md "Audit". Empty strings are stored as NULL.
CREATE TABLE audit_log (
    seq             INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    actor           TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    subject_team    TEXT,
    subject_model   TEXT,
    subject_version TEXT,
    before          TEXT,
    after           TEXT,
    reason          TEXT,
    prev_hash       TEXT    NOT NULL,
    hash            TEXT    NOT NULL
);
CREATE INDEX ix_audit_log_model ON audit_log (subject_model, seq);
CREATE INDEX ix_audit_log_team ON audit_log (subject_team, seq);
CREATE INDEX ix_audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;
CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted');
END;

-- The head of the chain, written in the same transaction as each entry: a truncated tail no longer matches it.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_head_only_moves_forward BEFORE UPDATE ON audit_head
WHEN NEW.seq <= OLD.seq
BEGIN
    SELECT RAISE(ABORT, 'audit_head only moves forward');
END;
CREATE TRIGGER audit_head_refuses_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head cannot be deleted');
END;

-- Ownership: the owner team stays models.team_id; contacts sit beside it; every change is kept.
ALTER TABLE models ADD COLUMN on_call TEXT;
ALTER TABLE models ADD COLUMN escalation TEXT;

CREATE TABLE model_ownership_history (
    id         INTEGER PRIMARY KEY,
    model_pk   INTEGER NOT NULL REFERENCES models (pk),
    from_team  TEXT,
    to_team    TEXT,
    on_call    TEXT,
    escalation TEXT,
    changed_by TEXT    NOT NULL,
    changed_at INTEGER NOT NULL,
    reason     TEXT    NOT NULL
);
CREATE INDEX ix_model_ownership_history_model ON model_ownership_history (model_pk, id);

-- Archived versions keep their data but can hold no alias.
ALTER TABLE model_versions ADD COLUMN archived_at INTEGER;
ALTER TABLE model_versions ADD COLUMN archived_by TEXT;

CREATE TABLE alias_requests (
    id              INTEGER PRIMARY KEY,
    model_pk        INTEGER NOT NULL REFERENCES models (pk),
    alias           TEXT    NOT NULL CHECK (alias IN ('production', 'staging', 'shadow')),
    version_pk      INTEGER NOT NULL REFERENCES model_versions (pk),
    reason          TEXT    NOT NULL,
    requested_by    TEXT    NOT NULL,
    requested_at    INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by      TEXT,
    decided_at      INTEGER,
    decision_reason TEXT
);
CREATE INDEX ix_alias_requests_model ON alias_requests (model_pk, id);

-- One version per alias and model.
CREATE TABLE model_aliases (
    model_pk   INTEGER NOT NULL REFERENCES models (pk),
    alias      TEXT    NOT NULL CHECK (alias IN ('production', 'staging', 'shadow')),
    version_pk INTEGER NOT NULL REFERENCES model_versions (pk),
    set_by     TEXT    NOT NULL,
    set_at     INTEGER NOT NULL,
    request_id INTEGER REFERENCES alias_requests (id),
    PRIMARY KEY (model_pk, alias)
) WITHOUT ROWID;
