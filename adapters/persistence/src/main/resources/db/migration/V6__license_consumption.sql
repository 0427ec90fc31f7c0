-- What live checkouts hold, kept per license, moment they stop counting (counts_until) and entitlement.
-- Checkouts that stop counting at the same moment share a row: every perpetual checkout without renewal
-- stops "never", so however many there are they are one row. Consumption at t is the sum of the rows with
-- counts_until > t, which reads these rows instead of every live checkout. Every write that adds, checks in
-- or extends a checkout moves its amounts here in the same transaction; rows that reach 0 are deleted.
CREATE TABLE license_consumption (
    license_arn  VARCHAR(2048) NOT NULL REFERENCES license (license_arn),
    counts_until BIGINT        NOT NULL,
    entitlement  VARCHAR(255)  NOT NULL,
    amount       BIGINT        NOT NULL,
    PRIMARY KEY (license_arn, counts_until, entitlement)
);

INSERT INTO license_consumption (license_arn, counts_until, entitlement, amount)
SELECT license_arn, counts_until, entitlement, SUM(amount)
FROM license_checkout_item
WHERE amount <> 0
GROUP BY license_arn, counts_until, entitlement;

-- The consumption sum no longer reads checkout items.
DROP INDEX license_checkout_item_live;
