-- Licenses, their entitlements (in the order the license defines them), and checkouts. Every checked-out
-- amount carries counts_until: a provisional checkout's expiry, a perpetual one's next renewal (or the
-- largest epoch millisecond for "never"), or the moment it was checked in. Consumption at t is the sum of
-- amounts with counts_until > t: a range scan over live checkouts, never over expired history.

CREATE TABLE license (
    license_arn         VARCHAR(2048) NOT NULL PRIMARY KEY,
    name                VARCHAR(1024) NOT NULL,
    product_name        VARCHAR(1024) NOT NULL,
    product_sku         VARCHAR(1024) NOT NULL,
    issuer_name         VARCHAR(1024) NOT NULL,
    home_region         VARCHAR(32)   NOT NULL,
    status              VARCHAR(16)   NOT NULL,
    valid_from          BIGINT        NOT NULL,
    valid_until         BIGINT,
    beneficiary         VARCHAR(1024) NOT NULL,
    renew_type          VARCHAR(8)    NOT NULL,
    ttl_minutes         INTEGER       NOT NULL,
    version             BIGINT        NOT NULL,
    -- SHA-256 of the CreateLicense client token, and of the request it came with.
    client_token_sha256 VARCHAR(64) UNIQUE,
    request_sha256      VARCHAR(64)   NOT NULL,
    created_at          BIGINT        NOT NULL
);

CREATE TABLE license_entitlement (
    license_arn    VARCHAR(2048) NOT NULL REFERENCES license (license_arn),
    position       INTEGER       NOT NULL,
    name           VARCHAR(255)  NOT NULL,
    unit           VARCHAR(32)   NOT NULL,
    max_count      BIGINT,
    value          VARCHAR(1024) NOT NULL,
    overage        BOOLEAN       NOT NULL,
    allow_check_in BOOLEAN       NOT NULL,
    PRIMARY KEY (license_arn, position),
    UNIQUE (license_arn, name)
);

CREATE TABLE license_checkout (
    token               VARCHAR(32)   NOT NULL PRIMARY KEY,
    license_arn         VARCHAR(2048) NOT NULL REFERENCES license (license_arn),
    checkout_type       VARCHAR(16)   NOT NULL,
    issued_at           BIGINT        NOT NULL,
    expires_at          BIGINT,
    counts_until        BIGINT        NOT NULL,
    checked_in          BOOLEAN       NOT NULL,
    node_id             VARCHAR(1024) NOT NULL,
    beneficiary         VARCHAR(1024) NOT NULL,
    client_token_sha256 VARCHAR(64),
    request_sha256      VARCHAR(64)   NOT NULL,
    UNIQUE (license_arn, client_token_sha256)
);

CREATE TABLE license_checkout_item (
    token        VARCHAR(32)   NOT NULL REFERENCES license_checkout (token),
    position     INTEGER       NOT NULL,
    license_arn  VARCHAR(2048) NOT NULL,
    entitlement  VARCHAR(255)  NOT NULL,
    value        VARCHAR(1024) NOT NULL,
    unit         VARCHAR(32)   NOT NULL,
    amount       BIGINT        NOT NULL,
    -- Copied from the checkout so that consumption is one range scan of this table.
    counts_until BIGINT        NOT NULL,
    PRIMARY KEY (token, position)
);

-- Covers the consumption sum (entitlement, amount): it reads live checkouts from the index alone.
CREATE INDEX license_checkout_item_live ON license_checkout_item (license_arn, counts_until, entitlement, amount);
