package dev.tally.domain.sync;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Ids;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.common.PageSpec;
import dev.tally.domain.common.PageTokens;
import dev.tally.domain.sync.port.in.ManageIdentityPools;
import dev.tally.domain.sync.port.out.IdentityRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

/** Identity pools and their identities, with ids in the server's region. */
public final class IdentityPoolService implements ManageIdentityPools {

    /** As cognito-identity's model allows: letters, digits, spaces and {@code +=,.@-}. */
    private static final Pattern POOL_NAME = Pattern.compile("^[\\w\\s+=,.@-]{1,128}$");
    private static final String LIST_SCOPE = "ListIdentityPools";
    private static final String LIST_IDENTITIES_SCOPE = "ListIdentities";

    private final IdentityRegistry registry;
    private final PageTokens pageTokens;
    private final Clock clock;
    private final String region;

    public IdentityPoolService(IdentityRegistry registry, PageTokens pageTokens, Clock clock, String region) {
        this.registry = requireNonNull(registry, "registry");
        this.pageTokens = requireNonNull(pageTokens, "pageTokens");
        this.clock = requireNonNull(clock, "clock");
        this.region = requireNonNull(region, "region");
    }

    @Override
    public IdentityPool createPool(Caller caller, String name) {
        caller.requireDeveloper(ErrorReason.NOT_AUTHORIZED);
        Ids.require("identity_pool_name", name, POOL_NAME, ErrorReason.INVALID_PARAMETER,
                "1..128 characters of letters, digits, spaces and _+=,.@-");
        IdentityPool pool = new IdentityPool(IdentityPoolId.generate(region), name, now());
        registry.insertPool(pool);
        return pool;
    }

    @Override
    public IdentityPool describePool(Caller caller, IdentityPoolId pool) {
        caller.requireDeveloper(ErrorReason.NOT_AUTHORIZED);
        return registry.pool(pool).orElseThrow(() -> NotFound.pool(pool));
    }

    @Override
    public void deletePool(Caller caller, IdentityPoolId pool) {
        caller.requireDeveloper(ErrorReason.NOT_AUTHORIZED);
        if (!registry.deletePool(pool)) {
            throw NotFound.pool(pool);
        }
    }

    @Override
    public Page<IdentityDescription> listIdentities(Caller caller, IdentityPoolId pool, int pageSize, String pageToken) {
        caller.requireDeveloper(ErrorReason.NOT_AUTHORIZED);
        String scope = LIST_IDENTITIES_SCOPE + "/" + pool;
        PageRequest request = pageTokens.request(PageSpec.STANDARD, scope, pageSize, pageToken);
        List<IdentityDescription> identities = registry.listIdentities(pool, request);
        if (identities.isEmpty() && !registry.poolExists(pool)) {
            throw NotFound.pool(pool);
        }
        return pageTokens.page(scope, request, identities, identity -> identity.identity().value());
    }

    @Override
    public IdentityDescription describeIdentity(Caller caller, IdentityId identity) {
        caller.requireDeveloper(ErrorReason.NOT_AUTHORIZED);
        return registry.identity(identity).orElseThrow(() -> new NotFoundException("identity_id",
                "identity " + TallyException.quote(identity.value()) + " does not exist"));
    }

    @Override
    public Page<IdentityPool> listPools(Caller caller, int pageSize, String pageToken) {
        caller.requireDeveloper(ErrorReason.NOT_AUTHORIZED);
        PageRequest request = pageTokens.request(PageSpec.STANDARD, LIST_SCOPE, pageSize, pageToken);
        return pageTokens.page(LIST_SCOPE, request, registry.listPools(request), pool -> pool.id().value());
    }

    @Override
    public IdentityId createIdentity(Caller caller, IdentityPoolId pool) {
        caller.requireDeveloper(ErrorReason.NOT_AUTHORIZED);
        IdentityId identity = IdentityId.generate(region);
        registry.insertIdentity(pool, identity, now());
        return identity;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
