-- Usage plans, API keys, their associations, and usage counters. Counters are one row per
-- (plan, key, day), never one per request, plus one per (plan, key, period) that ConsumeQuota checks
-- and moves in one conditional statement. Days are epoch days (days since 1970-01-01) of the plan's
-- time zone; a period row is keyed by its first day.

CREATE TABLE usage_plan (
    plan_id        VARCHAR(6)    NOT NULL PRIMARY KEY,
    name           VARCHAR(255)  NOT NULL,
    description    VARCHAR(1024) NOT NULL,
    -- All three NULL when the plan has no quota.
    quota_limit    BIGINT,
    quota_offset   BIGINT,
    quota_period   VARCHAR(5),
    -- Both NULL when the plan has no throttle.
    throttle_burst INTEGER,
    throttle_rate  DOUBLE PRECISION,
    time_zone      VARCHAR(64)   NOT NULL,
    created_at     BIGINT        NOT NULL
);

CREATE TABLE api_key (
    key_id       VARCHAR(10)   NOT NULL PRIMARY KEY,
    name         VARCHAR(255)  NOT NULL,
    description  VARCHAR(1024) NOT NULL,
    value_sha256 VARCHAR(64)   NOT NULL UNIQUE,
    enabled      BOOLEAN       NOT NULL,
    created_at   BIGINT        NOT NULL
);

CREATE TABLE usage_plan_key (
    plan_id    VARCHAR(6)  NOT NULL REFERENCES usage_plan (plan_id) ON DELETE CASCADE,
    key_id     VARCHAR(10) NOT NULL REFERENCES api_key (key_id),
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (plan_id, key_id)
);

-- The primary key makes a GetUsage page (keys of one plan, a range of days) one range scan.
CREATE TABLE usage_day (
    plan_id    VARCHAR(6)  NOT NULL REFERENCES usage_plan (plan_id) ON DELETE CASCADE,
    key_id     VARCHAR(10) NOT NULL,
    day        INTEGER     NOT NULL,
    used       BIGINT      NOT NULL,
    -- The period's adjustment left in effect by the last UpdateUsage of this day; NULL when none.
    adjustment BIGINT,
    PRIMARY KEY (plan_id, key_id, day)
);

CREATE TABLE usage_period (
    plan_id      VARCHAR(6)  NOT NULL REFERENCES usage_plan (plan_id) ON DELETE CASCADE,
    key_id       VARCHAR(10) NOT NULL,
    period_start INTEGER     NOT NULL,
    used         BIGINT      NOT NULL,
    -- Added to the period's allowance by UpdateUsage (negative lowers it).
    adjustment   BIGINT      NOT NULL,
    PRIMARY KEY (plan_id, key_id, period_start)
);

-- Decisions kept for idempotency keys (ConsumeQuota, RecordUsage), scoped to the RPC, plan and key.
CREATE TABLE usage_idempotency (
    rpc             VARCHAR(16)  NOT NULL,
    plan_id         VARCHAR(6)   NOT NULL REFERENCES usage_plan (plan_id) ON DELETE CASCADE,
    target          VARCHAR(80)  NOT NULL,
    idempotency_key VARCHAR(128) NOT NULL,
    request_sha256  VARCHAR(64)  NOT NULL,
    decision        VARCHAR(16),
    used            BIGINT,
    remaining       BIGINT,
    period_end      BIGINT,
    retry_after_ms  BIGINT,
    created_at      BIGINT       NOT NULL,
    PRIMARY KEY (rpc, plan_id, target, idempotency_key)
);

CREATE INDEX usage_idempotency_by_age ON usage_idempotency (created_at);
