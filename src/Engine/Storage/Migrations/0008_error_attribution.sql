-- Errors attributable to a version: a prediction event may be flagged as failed, and a metrics sample may name the
-- version whose errors it reports. Samples without a version stay model-wide.
ALTER TABLE predictions ADD COLUMN is_error INTEGER NOT NULL DEFAULT 0;
ALTER TABLE operational_samples ADD COLUMN version_pk INTEGER;
