-- Access keys for the AWS endpoint (SigV4), and API key values kept for GetApiKey's includeValue.
-- SigV4 and includeValue need the secret itself, so these are sealed (AES-256-GCM, base64) under a master
-- key that is never in the database: a copy of the database alone reveals no secret.

CREATE TABLE access_key (
    access_key_id    VARCHAR(20)  NOT NULL PRIMARY KEY,
    -- The developer key it acts as; it dies with that key (revoked keys' access keys are never accepted).
    developer_key_id VARCHAR(16)  NOT NULL REFERENCES developer_key (key_id),
    description      VARCHAR(256) NOT NULL,
    secret_sealed    VARCHAR(128) NOT NULL,
    created_at       BIGINT       NOT NULL
);

-- NULL for keys created before values were kept: their values cannot be shown.
ALTER TABLE api_key ADD COLUMN value_sealed VARCHAR(256);
