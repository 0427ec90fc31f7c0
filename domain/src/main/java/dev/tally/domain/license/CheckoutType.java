package dev.tally.domain.license;

/** Provisional checkouts float (check-in or expiry ends them); perpetual ones draw down until the renewal. */
public enum CheckoutType { PROVISIONAL, PERPETUAL }
