-- Identity pools, their identities, and the tokens scoped to one identity. Pools and identities carry
-- running aggregates of their datasets, updated in the same transaction as every write, so the usage
-- reads never count records.

CREATE TABLE identity_pool (
    pool_id             VARCHAR(55)  NOT NULL PRIMARY KEY,
    name                VARCHAR(128) NOT NULL,
    created_at          BIGINT       NOT NULL,
    -- NULL until the pool's first sync session.
    sync_sessions_count BIGINT,
    data_storage        BIGINT       NOT NULL DEFAULT 0,
    -- NULL until the first change to any dataset of the pool.
    last_modified_at    BIGINT
);

CREATE TABLE identity (
    identity_id      VARCHAR(55) NOT NULL PRIMARY KEY,
    pool_id          VARCHAR(55) NOT NULL REFERENCES identity_pool (pool_id),
    created_at       BIGINT      NOT NULL,
    dataset_count    BIGINT      NOT NULL DEFAULT 0,
    data_storage     BIGINT      NOT NULL DEFAULT 0,
    -- NULL until the first change to any of its datasets.
    last_modified_at BIGINT
);

CREATE INDEX identity_by_pool ON identity (pool_id, identity_id);

CREATE TABLE identity_token (
    token_id     VARCHAR(16) NOT NULL PRIMARY KEY,
    token_lookup VARCHAR(16) NOT NULL,
    token_sha256 VARCHAR(64) NOT NULL,
    pool_id      VARCHAR(55) NOT NULL,
    identity_id  VARCHAR(55) NOT NULL REFERENCES identity (identity_id),
    created_at   BIGINT      NOT NULL,
    expires_at   BIGINT      NOT NULL
);

CREATE INDEX identity_token_by_lookup ON identity_token (token_lookup);
