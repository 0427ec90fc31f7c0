-- SQLite only: PostgreSQL has no such table kind and skips this version, so the migrations every store
-- shares never use 7.
-- The counters read and written on every hot call are stored in their primary key's order (WITHOUT ROWID).
-- A key's days are then one seek and a scan, where a rowid table takes an index seek and then one table
-- lookup per row, and an increment changes one B-tree instead of two.

CREATE TABLE usage_day_clustered (
    plan_id    VARCHAR(6)  NOT NULL REFERENCES usage_plan (plan_id) ON DELETE CASCADE,
    key_id     VARCHAR(10) NOT NULL,
    day        INTEGER     NOT NULL,
    used       BIGINT      NOT NULL,
    -- The period's adjustment left in effect by the last UpdateUsage of this day; NULL when none.
    adjustment BIGINT,
    PRIMARY KEY (plan_id, key_id, day)
) WITHOUT ROWID;
INSERT INTO usage_day_clustered (plan_id, key_id, day, used, adjustment)
SELECT plan_id, key_id, day, used, adjustment FROM usage_day;
DROP TABLE usage_day;
ALTER TABLE usage_day_clustered RENAME TO usage_day;

CREATE TABLE usage_period_clustered (
    plan_id      VARCHAR(6)  NOT NULL REFERENCES usage_plan (plan_id) ON DELETE CASCADE,
    key_id       VARCHAR(10) NOT NULL,
    period_start INTEGER     NOT NULL,
    used         BIGINT      NOT NULL,
    -- Added to the period's allowance by UpdateUsage (negative lowers it).
    adjustment   BIGINT      NOT NULL,
    PRIMARY KEY (plan_id, key_id, period_start)
) WITHOUT ROWID;
INSERT INTO usage_period_clustered (plan_id, key_id, period_start, used, adjustment)
SELECT plan_id, key_id, period_start, used, adjustment FROM usage_period;
DROP TABLE usage_period;
ALTER TABLE usage_period_clustered RENAME TO usage_period;

CREATE TABLE license_consumption_clustered (
    license_arn  VARCHAR(2048) NOT NULL REFERENCES license (license_arn),
    counts_until BIGINT        NOT NULL,
    entitlement  VARCHAR(255)  NOT NULL,
    amount       BIGINT        NOT NULL,
    PRIMARY KEY (license_arn, counts_until, entitlement)
) WITHOUT ROWID;
INSERT INTO license_consumption_clustered (license_arn, counts_until, entitlement, amount)
SELECT license_arn, counts_until, entitlement, amount FROM license_consumption;
DROP TABLE license_consumption;
ALTER TABLE license_consumption_clustered RENAME TO license_consumption;
