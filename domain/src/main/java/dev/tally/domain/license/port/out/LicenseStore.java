package dev.tally.domain.license.port.out;

import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.license.Checkout;
import dev.tally.domain.license.KeptCheckout;
import dev.tally.domain.license.KeptLicense;
import dev.tally.domain.license.License;
import dev.tally.domain.license.LicenseStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** Licenses, their entitlements, and checkouts with the instant each stops counting. */
public interface LicenseStore {

    /**
     * Stores {@code license} unless a license was created with the same client token; returns what is
     * stored under that token (the existing one, with its request digest) or the new one.
     */
    KeptLicense create(License license, Optional<String> clientTokenHash, String requestHash);

    Optional<License> license(LicenseArn arn);

    /** Up to {@code request.size() + 1} licenses with ARNs after the cursor, ordered by ARN. */
    List<License> licenses(PageRequest request);

    /** Sets the status and raises the version; empty when there is no such license. */
    Optional<License> updateStatus(LicenseArn arn, LicenseStatus status);

    /** Sets the status DELETED and raises the version if the version is still {@code version}; false otherwise. */
    boolean markDeleted(LicenseArn arn, long version);

    /** The licenses of one product SKU and issuer, oldest first. */
    List<License> licensesOf(String productSku, String issuer);

    /**
     * In one transaction that holds the license against concurrent checkouts: returns the checkout already
     * made with this client token, if any; otherwise reads the live consumption per entitlement at
     * {@code now}, lets {@code decide} make the checkout (or throw), and stores it.
     *
     * @throws dev.tally.domain.common.NotFoundException when there is no such license
     */
    KeptCheckout checkout(LicenseArn arn, Optional<String> clientTokenHash, String requestHash, Instant now,
                          BiFunction<License, Map<String, Long>, Checkout> decide);

    Optional<Checkout> checkout(String token);

    /** Up to {@code limit} checkouts of the license still counting at {@code now}, the newest first. */
    List<Checkout> liveCheckouts(LicenseArn arn, Instant now, int limit);

    /**
     * Ends the live checkout {@code token} of {@code license} at {@code now}; false when it is not live
     * (expired, checked in, or unknown).
     */
    boolean checkIn(LicenseArn license, String token, Instant now);

    /** Moves the end of the live provisional checkout {@code token} of {@code license} to {@code until}; false when it is not live. */
    boolean extend(LicenseArn license, String token, Instant until, Instant now);

    /** Units counting at {@code now}, per entitlement name, read from live checkouts only. */
    Map<String, Long> consumption(LicenseArn arn, Instant now);

    /**
     * Deletes the checkouts that stopped counting before {@code before} (checked in, expired, or renewed
     * away), with their items and what they held; returns how many checkouts went.
     */
    int purgeEnded(Instant before);
}
