-- Identity tokens carry temporary AWS credentials (ASIA... access key ids) with the token's scope and
-- expiry; the session token is the identity token itself, so only the secret is new. It is sealed
-- (AES-256-GCM, base64) under the master key like access keys' secrets. NULL for tokens issued before.
ALTER TABLE identity_token ADD COLUMN access_key_id VARCHAR(20);
ALTER TABLE identity_token ADD COLUMN secret_sealed VARCHAR(128);
CREATE UNIQUE INDEX identity_token_access_key ON identity_token (access_key_id);
