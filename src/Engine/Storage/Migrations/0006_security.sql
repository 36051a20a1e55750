-- Security hardening (issue 10).

-- Every API key acts for the person who created it ("user:dana"), or for a named system identity
-- ("system:bootstrap" for the operator's configured key). Four-eyes compares these persons, never credentials.
ALTER TABLE api_keys ADD COLUMN created_by TEXT;
UPDATE api_keys SET created_by = (
    SELECT a.actor FROM audit_log a
    WHERE a.action = 'api-key.created' AND json_valid(a.after) AND json_extract(a.after, '$.id') = api_keys.id
    ORDER BY a.seq LIMIT 1);
-- A key created by a key acts for that key's person (keys are created by admins and leads: two passes cover
-- bootstrap key -> team key).
UPDATE api_keys SET created_by = (SELECT k.created_by FROM api_keys k WHERE 'key:' || k.id = api_keys.created_by)
WHERE created_by LIKE 'key:%';
UPDATE api_keys SET created_by = (SELECT k.created_by FROM api_keys k WHERE 'key:' || k.id = api_keys.created_by)
WHERE created_by LIKE 'key:%';
UPDATE api_keys SET created_by = CASE WHEN team_id IS NULL THEN 'system:bootstrap' ELSE 'system:unattributed' END
WHERE created_by IS NULL;

-- The person behind requested_by (a user, or the person a key acts for).
ALTER TABLE alias_requests ADD COLUMN requested_for TEXT;
UPDATE alias_requests SET requested_for = CASE
    WHEN requested_by LIKE 'key:%' THEN COALESCE((SELECT k.created_by FROM api_keys k WHERE 'key:' || k.id = alias_requests.requested_by), requested_by)
    ELSE requested_by END;

-- Server-side sign-in sessions: the cookie carries the id; sign-out revokes the row, so a copied cookie stops working.
CREATE TABLE sessions (
    id          TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX ix_sessions_user ON sessions (user_id);

-- Failed sign-ins per account and client address: a flood from one address locks that address out of the account,
-- not the account's owner elsewhere.
CREATE TABLE sign_in_failures (
    user_id      INTEGER NOT NULL REFERENCES users (id),
    address      TEXT    NOT NULL,
    failed       INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    PRIMARY KEY (user_id, address)
);
