-- Identity tokens die with the developer key that issued them: remember which one did. NULL for tokens
-- issued before this was kept (they still expire within 24 hours of being issued).
ALTER TABLE identity_token ADD COLUMN issued_by VARCHAR(16);
CREATE INDEX identity_token_identity ON identity_token (pool_id, identity_id);
CREATE INDEX identity_token_issuer ON identity_token (issued_by);
