package dev.tally.domain.license;

/** A license's life-cycle state; only AVAILABLE licenses can be checked out. */
public enum LicenseStatus { AVAILABLE, DEACTIVATED, EXPIRED, DELETED }
