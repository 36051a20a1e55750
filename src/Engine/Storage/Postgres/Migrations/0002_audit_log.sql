-- The append-only, hash-chained audit log: the same columns and canonical form as SQLite's 0002_governance, so a chain
-- copied between the providers still verifies (docs/api.md, "Audit"). Empty strings are stored as NULL.
CREATE TABLE audit_log (
    seq             BIGINT PRIMARY KEY,
    at              BIGINT NOT NULL,
    actor           TEXT   NOT NULL,
    action          TEXT   NOT NULL,
    subject_team    TEXT,
    subject_model   TEXT,
    subject_version TEXT,
    before          TEXT,
    after           TEXT,
    reason          TEXT,
    prev_hash       TEXT   NOT NULL,
    hash            TEXT   NOT NULL
);
CREATE INDEX ix_audit_log_model ON audit_log (subject_model, seq);
CREATE INDEX ix_audit_log_team ON audit_log (subject_team, seq);
CREATE INDEX ix_audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit_log is append-only: entries cannot be changed';
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: entries cannot be deleted';
END
$$;
CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_refuses_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- The head of the chain, moved in the same transaction as each entry. Appends lock this row (SELECT ... FOR UPDATE),
-- which serialises them across every node.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT  NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.seq > OLD.seq THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit_head only moves forward';
    END IF;
    RAISE EXCEPTION 'audit_head cannot be deleted';
END
$$;
CREATE TRIGGER audit_head_only_moves_forward BEFORE UPDATE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_guard();
CREATE TRIGGER audit_head_refuses_delete BEFORE DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_guard();
