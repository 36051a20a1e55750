-- A version stamp per model that changes whenever its baseline may change: a reference upload (rows replaced) or a
-- move of the production alias. Bumped by triggers, so every writer (and every node) bumps it the same way;
-- Windows/Baselines.cs compares stamps to drop its cached baselines.
CREATE TABLE baseline_stamps (
    model_pk INTEGER PRIMARY KEY,
    stamp    INTEGER NOT NULL
);

CREATE TRIGGER tr_reference_rows_insert_stamp AFTER INSERT ON reference_rows
BEGIN
    INSERT INTO baseline_stamps (model_pk, stamp) SELECT model_pk, 1 FROM model_versions WHERE pk = NEW.version_pk
    ON CONFLICT (model_pk) DO UPDATE SET stamp = stamp + 1;
END;

CREATE TRIGGER tr_reference_rows_delete_stamp AFTER DELETE ON reference_rows
BEGIN
    INSERT INTO baseline_stamps (model_pk, stamp) SELECT model_pk, 1 FROM model_versions WHERE pk = OLD.version_pk
    ON CONFLICT (model_pk) DO UPDATE SET stamp = stamp + 1;
END;

CREATE TRIGGER tr_model_aliases_insert_stamp AFTER INSERT ON model_aliases WHEN NEW.alias = 'production'
BEGIN
    INSERT INTO baseline_stamps (model_pk, stamp) VALUES (NEW.model_pk, 1)
    ON CONFLICT (model_pk) DO UPDATE SET stamp = stamp + 1;
END;

CREATE TRIGGER tr_model_aliases_update_stamp AFTER UPDATE ON model_aliases WHEN NEW.alias = 'production' OR OLD.alias = 'production'
BEGIN
    INSERT INTO baseline_stamps (model_pk, stamp) VALUES (NEW.model_pk, 1)
    ON CONFLICT (model_pk) DO UPDATE SET stamp = stamp + 1;
END;

CREATE TRIGGER tr_model_aliases_delete_stamp AFTER DELETE ON model_aliases WHEN OLD.alias = 'production'
BEGIN
    INSERT INTO baseline_stamps (model_pk, stamp) VALUES (OLD.model_pk, 1)
    ON CONFLICT (model_pk) DO UPDATE SET stamp = stamp + 1;
END;
