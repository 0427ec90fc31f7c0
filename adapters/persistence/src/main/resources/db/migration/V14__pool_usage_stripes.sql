-- A pool's usage moves out of its row into stripes. Every sync write of a pool (and every new sync session)
-- added to the pool's one row, so on PostgreSQL the writes of a pool queued for that row's lock, each until
-- the commit of the one before: one commit at a time, however many identities wrote. A write now adds to one
-- stripe of the pool's usage, and the reads sum the stripes. SQLite, with one writer, uses stripe 0 only.

CREATE TABLE identity_pool_usage (
    pool_id             VARCHAR(55) NOT NULL REFERENCES identity_pool (pool_id),
    stripe              INTEGER     NOT NULL,
    -- NULL until a sync session is counted in this stripe: the pool's count is NULL until its first.
    sync_sessions_count BIGINT,
    data_storage        BIGINT      NOT NULL DEFAULT 0,
    -- NULL until a dataset change is counted in this stripe.
    last_modified_at    BIGINT,
    PRIMARY KEY (pool_id, stripe)
);

INSERT INTO identity_pool_usage (pool_id, stripe, sync_sessions_count, data_storage, last_modified_at)
SELECT pool_id, 0, sync_sessions_count, data_storage, last_modified_at
FROM identity_pool
WHERE sync_sessions_count IS NOT NULL OR data_storage <> 0 OR last_modified_at IS NOT NULL;

ALTER TABLE identity_pool DROP COLUMN sync_sessions_count;
ALTER TABLE identity_pool DROP COLUMN data_storage;
ALTER TABLE identity_pool DROP COLUMN last_modified_at;
