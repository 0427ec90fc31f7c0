-- Ended checkouts are purged after a retention period: find them by when they stopped counting.
CREATE INDEX license_checkout_ended ON license_checkout (counts_until);
CREATE INDEX license_consumption_ended ON license_consumption (counts_until);
