-- Credentials. Tokens are never stored: only their SHA-256 (hex) and its first 16 digits as a lookup key.
-- Timestamps are epoch milliseconds (UTC) in BIGINT columns, the same on SQLite and PostgreSQL.

-- Secrets every server of one database shares, such as the key that signs page tokens.
CREATE TABLE server_secret (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    secret_hex VARCHAR(128) NOT NULL
);

CREATE TABLE developer_key (
    key_id       VARCHAR(16)  NOT NULL PRIMARY KEY,
    name         VARCHAR(128) NOT NULL,
    token_lookup VARCHAR(16)  NOT NULL,
    token_sha256 VARCHAR(64)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    revoked_at   BIGINT
);

CREATE INDEX developer_key_by_lookup ON developer_key (token_lookup);
