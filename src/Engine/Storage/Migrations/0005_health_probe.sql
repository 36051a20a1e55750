-- A scratch table for the readiness probe: after a failed write it inserts and deletes a few pages' worth of bytes,
-- which fails exactly when the database cannot grow (disk full, size cap reached, read-only file system).
CREATE TABLE health_probe (
    pk      INTEGER PRIMARY KEY,
    padding BLOB NOT NULL
);
