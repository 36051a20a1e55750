-- Per-model drift decisions: thresholds (per model and per feature) and which reference drift is measured against.
CREATE TABLE drift_settings (
    model_pk   INTEGER PRIMARY KEY REFERENCES models (pk),
    settings   TEXT    NOT NULL,
    updated_by TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
