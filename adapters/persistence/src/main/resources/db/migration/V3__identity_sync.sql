-- Datasets and their records. A dataset row carries its aggregates (bytes, records, sync count).
-- Records are keyed by the SHA-256 of their key: keys of up to 1024 characters (4 KiB of UTF-8) are too
-- long for a PostgreSQL B-tree entry.

CREATE TABLE dataset (
    identity_id      VARCHAR(55)  NOT NULL REFERENCES identity (identity_id),
    name             VARCHAR(128) NOT NULL,
    created_at       BIGINT       NOT NULL,
    last_modified_at BIGINT       NOT NULL,
    last_modified_by VARCHAR(256) NOT NULL,
    data_storage     BIGINT       NOT NULL,
    num_records      BIGINT       NOT NULL,
    sync_count       BIGINT       NOT NULL,
    PRIMARY KEY (identity_id, name)
);

CREATE TABLE sync_record (
    identity_id             VARCHAR(55)  NOT NULL,
    dataset_name            VARCHAR(128) NOT NULL,
    key_sha256              VARCHAR(64)  NOT NULL,
    record_key              TEXT         NOT NULL,
    record_value            TEXT         NOT NULL,
    sync_count              BIGINT       NOT NULL,
    changed_at_sync         BIGINT       NOT NULL,
    last_modified_at        BIGINT       NOT NULL,
    last_modified_by        VARCHAR(256) NOT NULL,
    device_last_modified_at BIGINT,
    PRIMARY KEY (identity_id, dataset_name, key_sha256),
    FOREIGN KEY (identity_id, dataset_name) REFERENCES dataset (identity_id, name) ON DELETE CASCADE
);

CREATE INDEX sync_record_by_change ON sync_record (identity_id, dataset_name, changed_at_sync);
