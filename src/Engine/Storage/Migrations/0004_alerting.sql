-- Alerting: rules, their evaluation state per (rule, model, feature), alerts, notification settings, silences,
-- notification groups (Alertmanager's aggregation groups) and the delivery outbox with every attempt.
CREATE TABLE alert_rules (
    id         TEXT    PRIMARY KEY,
    model_id   TEXT,
    team_id    TEXT,
    spec       TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_by TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((model_id IS NULL) <> (team_id IS NULL))
);
CREATE INDEX ix_alert_rules_model ON alert_rules (model_id);
CREATE INDEX ix_alert_rules_team ON alert_rules (team_id);

-- The evaluator's memory of one series; written when it changes, so a restart resumes where it was.
CREATE TABLE alert_series (
    rule_id        TEXT    NOT NULL,
    model_id       TEXT    NOT NULL,
    feature        TEXT    NOT NULL DEFAULT '',
    state          TEXT    NOT NULL,
    state_since    INTEGER NOT NULL,
    active_alert   INTEGER,
    recent         INTEGER NOT NULL DEFAULT 0,
    evaluations    INTEGER NOT NULL DEFAULT 0,
    last_value     REAL,
    last_error     TEXT,
    history        TEXT,
    PRIMARY KEY (rule_id, model_id, feature)
) WITHOUT ROWID;

CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    fingerprint     TEXT    NOT NULL,
    rule_id         TEXT    NOT NULL,
    rule_name       TEXT    NOT NULL,
    model_id        TEXT    NOT NULL,
    team_id         TEXT,
    feature         TEXT,
    signal          TEXT    NOT NULL,
    severity        TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'firing', 'resolved')),
    labels          TEXT    NOT NULL,
    annotations     TEXT    NOT NULL,
    value           REAL,
    threshold       TEXT,
    created_at      INTEGER NOT NULL,
    starts_at       INTEGER,
    ends_at         INTEGER,
    acked_by        TEXT,
    acked_at        INTEGER,
    ack_comment     TEXT,
    resolved_by     TEXT,
    resolve_comment TEXT,
    escalated_at    INTEGER
);
CREATE INDEX ix_alerts_status ON alerts (status, model_id);
CREATE INDEX ix_alerts_model ON alerts (model_id, id);

-- scope: a team id, or '*' for the admins' default receivers of models without an owner.
CREATE TABLE alert_notification_settings (
    scope      TEXT    PRIMARY KEY,
    settings   TEXT    NOT NULL,
    updated_by TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE alert_silences (
    id         TEXT    PRIMARY KEY,
    matchers   TEXT    NOT NULL,
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    comment    TEXT    NOT NULL,
    team_id    TEXT,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expired_by TEXT
);

-- One aggregation group: when it last flushed and what its receivers were last told.
CREATE TABLE alert_groups (
    group_key     TEXT    PRIMARY KEY,
    scope         TEXT    NOT NULL,
    group_labels  TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    next_flush_at INTEGER NOT NULL,
    last_sent_at  INTEGER,
    last_digest   TEXT
);

CREATE TABLE alert_group_members (
    group_key TEXT    NOT NULL,
    alert_id  INTEGER NOT NULL,
    PRIMARY KEY (group_key, alert_id)
) WITHOUT ROWID;

CREATE TABLE alert_deliveries (
    id              INTEGER PRIMARY KEY,
    group_key       TEXT    NOT NULL,
    scope           TEXT    NOT NULL,
    receiver        TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    target          TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    give_up_at      INTEGER NOT NULL,
    last_answer     TEXT,
    sent_at         INTEGER
);
CREATE INDEX ix_alert_deliveries_due ON alert_deliveries (status, next_attempt_at);

CREATE TABLE alert_delivery_alerts (
    delivery_id INTEGER NOT NULL,
    alert_id    INTEGER NOT NULL,
    PRIMARY KEY (alert_id, delivery_id)
) WITHOUT ROWID;

CREATE TABLE alert_delivery_attempts (
    id          INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    ok          INTEGER NOT NULL,
    answer      TEXT    NOT NULL
);
CREATE INDEX ix_alert_delivery_attempts ON alert_delivery_attempts (delivery_id, id);
