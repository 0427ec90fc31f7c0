package dev.tally.domain.license;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.ConflictException;
import dev.tally.domain.common.Digests;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.ExpiringCache;
import dev.tally.domain.common.FailedPreconditionException;
import dev.tally.domain.common.Ids;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.common.PageSpec;
import dev.tally.domain.common.PageTokens;
import dev.tally.domain.common.ResourceConflictException;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.common.Telemetry;
import dev.tally.domain.license.port.in.ConsumeLicenses;
import dev.tally.domain.license.port.in.GetLicenseUsageQuery;
import dev.tally.domain.license.port.in.ManageLicenses;
import dev.tally.domain.license.port.out.LicenseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/** License Manager-style licenses: creation, checkouts, check-ins, extensions and usage. */
public final class LicenseManager implements ManageLicenses, ConsumeLicenses, GetLicenseUsageQuery {

    static final int DEFAULT_TTL_MINUTES = 60;
    static final int MAX_TTL_MINUTES = 60 * 24 * 365;
    /** Entitlements per license (and so per checkout): enough for any product's tiers and counters, small enough to read whole. */
    public static final int MAX_ENTITLEMENTS = 100;
    /**
     * How long an ended checkout is kept: a week, well past the day a client token must be remembered for,
     * so a retried CheckoutLicense still finds its checkout.
     */
    public static final Duration ENDED_CHECKOUT_RETENTION = Duration.ofDays(7);
    private static final PageSpec PAGE = new PageSpec("page_size", "page_token", 25, 500, ErrorReason.VALIDATION);
    private static final Pattern TEXT = Pattern.compile("^\\P{Cc}{1,1024}$");
    private static final Pattern OPTIONAL_TEXT = Pattern.compile("^\\P{Cc}{0,1024}$");
    private static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$");
    private static final Pattern CLIENT_TOKEN = Pattern.compile("^\\S{1,2048}$");
    private static final Pattern CONSUMPTION_TOKEN = Pattern.compile("^[0-9a-f]{32}$");

    private final LicenseStore store;
    private final PageTokens pageTokens;
    private final Clock clock;
    private final String accountId;
    /** Licenses change only in status: reads trust a copy for a moment (see {@link ExpiringCache}). */
    private final ExpiringCache<LicenseArn, License> licenseCache;

    private final Telemetry telemetry;

    public LicenseManager(LicenseStore store, PageTokens pageTokens, Clock clock, String accountId) {
        this(store, pageTokens, clock, accountId, Telemetry.NONE);
    }

    public LicenseManager(LicenseStore store, PageTokens pageTokens, Clock clock, String accountId, Telemetry telemetry) {
        this.telemetry = requireNonNull(telemetry, "telemetry");
        this.store = requireNonNull(store, "store");
        this.pageTokens = requireNonNull(pageTokens, "pageTokens");
        this.clock = requireNonNull(clock, "clock");
        this.accountId = requireNonNull(accountId, "accountId");
        this.licenseCache = new ExpiringCache<>(clock, Duration.ofSeconds(5), 50_000);
        telemetry.cache("license", licenseCache::hits, licenseCache::misses);
    }

    @Override
    public License create(Caller caller, NewLicense request) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        require("license_name", request.name(), TEXT, "1..1024 printable characters");
        require("product_name", request.productName(), TEXT, "1..1024 printable characters");
        require("product_sku", request.productSku(), TEXT, "1..1024 printable characters");
        require("issuer.name", request.issuer(), TEXT, "1..1024 printable characters");
        require("home_region", request.homeRegion(), REGION, "a region such as us-east-1");
        require("beneficiary", request.beneficiary(), OPTIONAL_TEXT, "at most 1024 printable characters");
        Instant validFrom = request.validFrom().orElseThrow(() -> invalid("validity.begin", "validity.begin is required"));
        if (request.validUntil().isPresent() && !request.validUntil().get().isAfter(validFrom)) {
            throw invalid("validity.end", "validity.end " + request.validUntil().get() + " must be after validity.begin " + validFrom);
        }
        if (request.entitlements().isEmpty() || request.entitlements().size() > MAX_ENTITLEMENTS) {
            throw invalid("entitlements", "a license has 1.." + MAX_ENTITLEMENTS + " entitlements, not " + request.entitlements().size());
        }
        Set<String> names = new HashSet<>();
        for (Entitlement entitlement : request.entitlements()) {
            if (!names.add(entitlement.name())) {
                throw invalid("entitlements", "entitlement name " + TallyException.quote(entitlement.name()) + " appears twice; names must be unique");
            }
        }
        int ttl = request.provisionalTtlMinutes() == 0 ? DEFAULT_TTL_MINUTES : request.provisionalTtlMinutes();
        if (ttl < 1 || ttl > MAX_TTL_MINUTES) {
            throw invalid("consumption_configuration.provisional_configuration.max_time_to_live_in_minutes",
                    "max_time_to_live_in_minutes " + request.provisionalTtlMinutes() + " is out of range: expected 1.." + MAX_TTL_MINUTES);
        }
        Optional<String> clientToken = clientToken(request.clientToken());
        License license = new License(LicenseArn.generate(accountId), request.name(), request.productName(), request.productSku(),
                request.issuer(), request.homeRegion(), LicenseStatus.AVAILABLE, validFrom, request.validUntil(),
                request.entitlements(), request.beneficiary(), request.renewType(), ttl, 1, now());
        String requestHash = Digests.sha256(request.withoutClientToken().toString());
        KeptLicense kept = store.create(license, clientToken.map(Digests::sha256), requestHash);
        if (!kept.requestHash().equals(requestHash)) {
            throw new ConflictException("client_token", "client_token was already used for a different CreateLicense request");
        }
        return kept.license();
    }

    @Override
    public License get(Caller caller, LicenseArn arn) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        return store.license(arn).orElseThrow(() -> licenseNotFound(arn));
    }

    @Override
    public Page<License> list(Caller caller, int pageSize, String pageToken) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        PageRequest request = pageTokens.request(PAGE, "ListLicenses", pageSize, pageToken);
        return pageTokens.page("ListLicenses", request, store.licenses(request), license -> license.arn().value());
    }

    @Override
    public License updateStatus(Caller caller, LicenseArn arn, LicenseStatus status) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        License updated = store.updateStatus(arn, requireNonNull(status, "status")).orElseThrow(() -> licenseNotFound(arn));
        licenseCache.invalidate(arn);
        return updated;
    }

    @Override
    public Instant delete(Caller caller, LicenseArn arn, String sourceVersion) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        License license = store.license(arn).orElseThrow(() -> licenseNotFound(arn));
        if (license.status() == LicenseStatus.DELETED) {
            throw new FailedPreconditionException(ErrorReason.CONFLICT, "license_arn", "license " + TallyException.quote(arn) + " is already deleted");
        }
        if (!Long.toString(license.version()).equals(sourceVersion) || !store.markDeleted(arn, license.version())) {
            throw new ResourceConflictException(ErrorReason.CONFLICT, "source_version", "source_version " + TallyException.quote(sourceVersion)
                    + " is not the license's current version " + license.version() + ": read the license again and retry");
        }
        licenseCache.invalidate(arn);
        return now();
    }

    @Override
    public License findForCheckout(Caller caller, String productSku, String keyFingerprint) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        require("product_sku", productSku, TEXT, "1..1024 printable characters");
        require("key_fingerprint", keyFingerprint, TEXT, "1..1024 printable characters");
        Instant now = now();
        List<License> licenses = License.issuerOf(keyFingerprint, accountId)
                .map(issuer -> store.licensesOf(productSku, issuer)).orElse(List.of());
        return licenses.stream().filter(l -> l.status() == LicenseStatus.AVAILABLE && l.validAt(now)).findFirst()
                .or(() -> licenses.stream().findFirst())
                .orElseThrow(() -> new NotFoundException(ErrorReason.RESOURCE_NOT_FOUND, "product_sku", "no license of product SKU "
                        + TallyException.quote(productSku) + " was issued with key fingerprint " + TallyException.quote(keyFingerprint)
                        + " (GetLicense shows a license's Issuer.KeyFingerprint)"));
    }

    @Override
    public List<Checkout> liveCheckouts(Caller caller, LicenseArn arn) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        store.license(arn).orElseThrow(() -> licenseNotFound(arn));
        return store.liveCheckouts(arn, now(), 100);
    }

    /** Deletes checkouts that ended more than {@link #ENDED_CHECKOUT_RETENTION} ago; returns how many. Usage is unchanged. */
    public int forgetEndedCheckouts() {
        return store.purgeEnded(clock.instant().minus(ENDED_CHECKOUT_RETENTION));
    }

    @Override
    public Checkout checkout(Caller caller, CheckoutRequest request) {
        try {
            Checkout checkout = grant(caller, request);
            telemetry.licenseCheckout("granted");
            return checkout;
        } catch (TallyException refused) {
            telemetry.licenseCheckout(refused.reason().name().toLowerCase(java.util.Locale.ROOT));
            throw refused;
        }
    }

    private Checkout grant(Caller caller, CheckoutRequest request) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        if (request.entitlements().isEmpty() || request.entitlements().size() > MAX_ENTITLEMENTS) {
            throw invalid("entitlements", "a checkout requests 1.." + MAX_ENTITLEMENTS + " entitlements, not " + request.entitlements().size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < request.entitlements().size(); i++) {
            CheckoutRequest.RequestedEntitlement requested = request.entitlements().get(i);
            require("entitlements[" + i + "].name", requested.name(), TEXT, "1..1024 printable characters");
            if (!names.add(requested.name())) {
                throw invalid("entitlements[" + i + "].name", "entitlement " + TallyException.quote(requested.name()) + " is requested twice");
            }
            CheckoutRules.amount(i, requested);
        }
        require("beneficiary", request.beneficiary(), OPTIONAL_TEXT, "at most 1024 printable characters");
        require("node_id", request.nodeId(), OPTIONAL_TEXT, "at most 1024 printable characters");
        Optional<String> clientToken = clientToken(request.clientToken());
        String requestHash = Digests.sha256(request.type() + "|" + request.entitlements() + "|" + request.beneficiary() + "|" + request.nodeId());
        Instant now = now();
        KeptCheckout kept = store.checkout(request.license(), clientToken.map(Digests::sha256), requestHash, now,
                (license, consumed) -> CheckoutRules.decide(license, request, consumed, now, Ids.randomHex(32)));
        if (!kept.requestHash().equals(requestHash)) {
            throw new ConflictException("client_token", "client_token was already used for a different CheckoutLicense request");
        }
        return kept.checkout();
    }

    @Override
    public void checkIn(Caller caller, String token) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        Instant now = now();
        Checkout checkout = liveCheckout(token, now);
        if (checkout.type() == CheckoutType.PERPETUAL) {
            throw new FailedPreconditionException(ErrorReason.CONFLICT, "license_consumption_token",
                    "a perpetual checkout cannot be checked in; it counts until the license renews");
        }
        License license = licensed(checkout);
        // Only counted entitlements are given back; a NONE tier holds nothing, so it never blocks a check-in.
        for (CheckoutItem item : checkout.items()) {
            if (license.entitlement(item.name()).map(e -> e.counted() && !e.allowCheckIn()).orElse(false)) {
                throw new FailedPreconditionException(ErrorReason.CONFLICT, "license_consumption_token",
                        "entitlement '" + item.name() + "' does not allow check-in; the checkout ends when it expires");
            }
        }
        if (!store.checkIn(checkout.license(), token, now)) {
            throw checkoutNotFound();
        }
    }

    @Override
    public Checkout extend(Caller caller, String token) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        Instant now = now();
        Checkout checkout = liveCheckout(token, now);
        if (checkout.type() == CheckoutType.PERPETUAL) {
            throw new FailedPreconditionException(ErrorReason.CONFLICT, "license_consumption_token",
                    "a perpetual checkout does not expire, so it cannot be extended");
        }
        Instant until = now.plus(Duration.ofMinutes(licensed(checkout).provisionalTtlMinutes()));
        if (!store.extend(checkout.license(), token, until, now)) {
            throw checkoutNotFound();
        }
        return checkout.extendedTo(until);
    }

    @Override
    public List<EntitlementUsage> usage(Caller caller, LicenseArn arn) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        License license = licenseCache.get(arn, store::license).orElseThrow(() -> licenseNotFound(arn));
        Map<String, Long> consumed = store.consumption(arn, now());
        return license.entitlements().stream()
                .map(e -> new EntitlementUsage(e.name(), e.counted() ? consumed.getOrDefault(e.name(), 0L) : 0,
                        e.counted() ? e.maxCount() : OptionalLong.empty(), e.unit()))
                .toList();
    }

    /**
     * The license of a checkout, from the cache: what check-in and extension read of it (entitlements, the
     * provisional TTL) is fixed when the license is created.
     */
    private License licensed(Checkout checkout) {
        return licenseCache.get(checkout.license(), store::license).orElseThrow(() -> licenseNotFound(checkout.license()));
    }

    private Checkout liveCheckout(String token, Instant now) {
        if (token == null || !CONSUMPTION_TOKEN.matcher(token).matches()) {
            throw invalid("license_consumption_token", "license_consumption_token " + TallyException.quote(token)
                    + " is invalid: expected the 32 hex characters CheckoutLicense returned");
        }
        return store.checkout(token).filter(c -> !c.checkedIn() && c.countsUntil().isAfter(now))
                .orElseThrow(LicenseManager::checkoutNotFound);
    }

    private static NotFoundException checkoutNotFound() {
        return new NotFoundException("license_consumption_token", "no live checkout has this token: it is unknown, expired or checked in");
    }

    private static NotFoundException licenseNotFound(LicenseArn arn) {
        return new NotFoundException("license_arn", "license " + TallyException.quote(arn) + " does not exist");
    }

    /** Checks text against {@code pattern}, which says whether empty is allowed (ValidationException). */
    private static void require(String field, String value, Pattern pattern, String expected) {
        Ids.require(field, value, pattern, ErrorReason.VALIDATION, expected);
    }

    private static InvalidParameterException invalid(String field, String message) {
        return new InvalidParameterException(ErrorReason.VALIDATION, field, message);
    }


    private static Optional<String> clientToken(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        require("client_token", token, CLIENT_TOKEN, "1..2048 characters without spaces");
        return Optional.of(token);
    }


    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
