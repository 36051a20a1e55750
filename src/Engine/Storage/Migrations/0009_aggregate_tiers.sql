-- Aggregate tiers: compact blobs per model, tier, slot start and version, so a restart replays only what was not
-- yet flushed and raw events can be pruned. Tier 0 = minute, 1 = hour, 2 = day; slot starts are minutes since
-- the epoch. version_pk 0 holds the model's system blob (operational samples and cost records).
-- A node adds its partial aggregates to the stored blob (the sketches merge), so several nodes can share a slot.
CREATE TABLE aggregate_blobs (
    model_pk     INTEGER NOT NULL,
    tier         INTEGER NOT NULL CHECK (tier IN (0, 1, 2)),
    start_minute INTEGER NOT NULL,
    version_pk   INTEGER NOT NULL,
    data         BLOB    NOT NULL,
    PRIMARY KEY (model_pk, tier, start_minute, version_pk)
) WITHOUT ROWID;
CREATE INDEX ix_aggregate_blobs_age ON aggregate_blobs (tier, start_minute);

-- Per node: every raw row up to these ids (label arrival seq for labels) is in the blobs, written in the same
-- transaction as the blobs. flush_seq counts the node's flushes: a read that sees flush n knows which of the node's
-- in-memory minutes are already in the blobs it read. A database made before the tiers starts its watermark at its
-- newest rows: those older rows are aggregated once by the upgrade below, newer ones by the live path.
CREATE TABLE aggregate_watermarks (
    node        TEXT    PRIMARY KEY,
    predictions INTEGER NOT NULL,
    labels      INTEGER NOT NULL,
    samples     INTEGER NOT NULL,
    costs       INTEGER NOT NULL,
    flush_seq   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO aggregate_watermarks (node, predictions, labels, samples, costs)
VALUES ('local', (SELECT COALESCE(MAX(rowid), 0) FROM predictions), 0,
        (SELECT COALESCE(MAX(rowid), 0) FROM operational_samples), (SELECT COALESCE(MAX(rowid), 0) FROM cost_records));

-- The one-off aggregation of rows stored before the tiers existed: rows up to target_* are folded in rowid order,
-- done_* is how far it got (written with the blobs it produced, so it resumes after a restart). Deleted when done.
CREATE TABLE aggregate_upgrade (
    node               TEXT    PRIMARY KEY,
    target_predictions INTEGER NOT NULL,
    target_samples     INTEGER NOT NULL,
    target_costs       INTEGER NOT NULL,
    done_predictions   INTEGER NOT NULL DEFAULT 0,
    done_samples       INTEGER NOT NULL DEFAULT 0,
    done_costs         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO aggregate_upgrade (node, target_predictions, target_samples, target_costs)
SELECT 'local', (SELECT COALESCE(MAX(rowid), 0) FROM predictions), (SELECT COALESCE(MAX(rowid), 0) FROM operational_samples),
       (SELECT COALESCE(MAX(rowid), 0) FROM cost_records)
WHERE EXISTS (SELECT 1 FROM predictions) OR EXISTS (SELECT 1 FROM operational_samples) OR EXISTS (SELECT 1 FROM cost_records);

-- Bumped by every flush that touched a model: other processes drop their cached aggregates of it.
CREATE TABLE aggregate_stamps (
    model_pk INTEGER PRIMARY KEY,
    stamp    INTEGER NOT NULL
);

-- Labels get an arrival sequence so a restart can replay the ones that came after the last flush.
-- Labels stored before this migration keep NULL: the first aggregation reaches them through their predictions.
ALTER TABLE labels ADD COLUMN seq INTEGER;
CREATE INDEX ix_labels_seq ON labels (seq);

-- Labels that waited longer than Portal:Retention:UnmatchedLabelDays for their prediction (often one already
-- pruned by raw retention): counted, never silently dropped.
ALTER TABLE model_stats ADD COLUMN labels_too_late INTEGER NOT NULL DEFAULT 0;

-- Pruning finds labels by their time (predictions, samples and costs already have (model_pk, ts) indexes).
CREATE INDEX ix_labels_ts ON labels (ts);
