-- Foundation schema: registry, access, and the raw event tables.
-- Times are INTEGER milliseconds since the Unix epoch (UTC).

CREATE TABLE teams (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('Admin', 'DataScientist', 'OpsEngineer', 'Auditor')),
    password_hash   TEXT    NOT NULL,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,
    created_at      INTEGER NOT NULL
);

CREATE TABLE team_members (
    team_id TEXT    NOT NULL REFERENCES teams (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    role    TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'lead')),
    PRIMARY KEY (team_id, user_id)
);

-- team_id NULL marks an admin key. Only the SHA-256 of the key is kept.
CREATE TABLE api_keys (
    id         TEXT    PRIMARY KEY,
    team_id    TEXT    REFERENCES teams (id),
    name       TEXT    NOT NULL,
    key_hash   BLOB    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE models (
    pk                 INTEGER PRIMARY KEY,
    id                 TEXT    NOT NULL UNIQUE,
    name               TEXT    NOT NULL,
    task               TEXT    NOT NULL CHECK (task IN ('binary-classification', 'multiclass-classification', 'regression')),
    team_id            TEXT    REFERENCES teams (id),
    features           TEXT    NOT NULL,
    decision_threshold REAL    NOT NULL DEFAULT 0.5,
    latency_slo_ms     REAL,
    monthly_budget_usd REAL,
    created_at         INTEGER NOT NULL
);

CREATE TABLE model_versions (
    pk              INTEGER PRIMARY KEY,
    model_pk        INTEGER NOT NULL REFERENCES models (pk),
    version         TEXT    NOT NULL,
    hyperparameters TEXT    NOT NULL DEFAULT '{}',
    training_data   TEXT,
    metrics         TEXT    NOT NULL DEFAULT '{}',
    created_by      TEXT,
    created_at      INTEGER NOT NULL,
    UNIQUE (model_pk, version)
);

-- The baseline drift is measured against. Features use the same compact encoding as predictions.
CREATE TABLE reference_rows (
    version_pk      INTEGER NOT NULL REFERENCES model_versions (pk),
    row_no          INTEGER NOT NULL,
    features        BLOB    NOT NULL,
    prediction_num  REAL,
    prediction_text TEXT,
    label_num       REAL,
    label_text      TEXT,
    PRIMARY KEY (version_pk, row_no)
) WITHOUT ROWID;

-- The hot table: no foreign keys (validated before the writer), two indexes only.
CREATE TABLE predictions (
    model_pk        INTEGER NOT NULL,
    event_id        TEXT    NOT NULL,
    ts              INTEGER NOT NULL,
    version_pk      INTEGER NOT NULL,
    features        BLOB    NOT NULL,
    prediction_num  REAL,
    prediction_text TEXT,
    probabilities   TEXT,
    latency_ms      REAL,
    cost_usd        REAL
);
CREATE UNIQUE INDEX ux_predictions_event ON predictions (model_pk, event_id);
CREATE INDEX ix_predictions_time ON predictions (model_pk, ts);

-- Ground truth arrives late and in any order: keyed by the prediction id, joined when read.
CREATE TABLE labels (
    model_pk      INTEGER NOT NULL,
    prediction_id TEXT    NOT NULL,
    label_num     REAL,
    label_text    TEXT,
    ts            INTEGER NOT NULL,
    PRIMARY KEY (model_pk, prediction_id)
) WITHOUT ROWID;

CREATE TABLE operational_samples (
    model_pk    INTEGER NOT NULL,
    ts          INTEGER NOT NULL,
    cpu_percent REAL,
    memory_mb   REAL,
    gpu_percent REAL,
    errors      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_operational_samples_time ON operational_samples (model_pk, ts);

CREATE TABLE cost_records (
    model_pk   INTEGER NOT NULL,
    ts         INTEGER NOT NULL,
    amount_usd REAL    NOT NULL,
    item       TEXT    NOT NULL
);
CREATE INDEX ix_cost_records_time ON cost_records (model_pk, ts);

-- What arrived, so a sender can check: maintained by the writer in the same transaction.
CREATE TABLE model_stats (
    model_pk      INTEGER PRIMARY KEY REFERENCES models (pk),
    predictions   INTEGER NOT NULL DEFAULT 0,
    labels        INTEGER NOT NULL DEFAULT 0,
    duplicates    INTEGER NOT NULL DEFAULT 0,
    last_event_at INTEGER
);

-- Feature-level data quality counts per model, minute and feature (undeclared features get their own rows).
CREATE TABLE feature_quality_minute (
    model_pk         INTEGER NOT NULL,
    minute           INTEGER NOT NULL,
    feature          TEXT    NOT NULL,
    rows             INTEGER NOT NULL DEFAULT 0,
    missing          INTEGER NOT NULL DEFAULT 0,
    type_errors      INTEGER NOT NULL DEFAULT 0,
    out_of_bounds    INTEGER NOT NULL DEFAULT 0,
    unknown_category INTEGER NOT NULL DEFAULT 0,
    undeclared       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (model_pk, minute, feature)
) WITHOUT ROWID;
