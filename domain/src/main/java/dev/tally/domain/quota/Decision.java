package dev.tally.domain.quota;

/** The outcome of a ConsumeQuota call; every outcome but ALLOWED consumed nothing. */
public enum Decision { ALLOWED, QUOTA_EXCEEDED, THROTTLED, KEY_REJECTED }
