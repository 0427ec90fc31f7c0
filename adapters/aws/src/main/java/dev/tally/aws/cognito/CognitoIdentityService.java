package dev.tally.aws.cognito;

import static dev.tally.aws.protocol.Values.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.aws.AwsService;
import dev.tally.aws.protocol.AwsError;
import dev.tally.aws.protocol.ServiceModel;
import dev.tally.aws.protocol.Values;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.sync.IdentityDescription;
import dev.tally.domain.sync.IdentityPool;
import dev.tally.domain.sync.port.in.ManageIdentityPools;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cognito Identity's pool and identity operations ({@code cognito-identity}, json 1.1) over the identity
 * registry that Cognito Sync's data hangs on. Tally keeps identities, not identity providers: pools take no
 * login providers, GetId takes no logins and needs developer credentials, and every identity is a developer's.
 */
public final class CognitoIdentityService implements AwsService {

    private static final String INVALID = "InvalidParameterException";
    /** Pool settings that configure identity providers, which Tally does not federate with. */
    private static final List<String> PROVIDER_SETTINGS = List.of("SupportedLoginProviders", "DeveloperProviderName",
            "OpenIdConnectProviderARNs", "CognitoIdentityProviders", "SamlProviderARNs", "IdentityPoolTags");

    private final ServiceModel model = ServiceModel.load("cognito-identity");
    private final ManageIdentityPools pools;
    private final Map<String, Handler> handlers = new LinkedHashMap<>();

    public CognitoIdentityService(ManageIdentityPools pools) {
        this.pools = Objects.requireNonNull(pools, "pools");
        handlers.put("CreateIdentityPool", this::createIdentityPool);
        handlers.put("DescribeIdentityPool", (caller, in) -> pool(pools.describePool(caller, poolId(in))));
        handlers.put("ListIdentityPools", (caller, in) -> Values.page(pools.listPools(caller, in.path("MaxResults").asInt(),
                in.path("NextToken").asText("")), "IdentityPools", "NextToken", pool -> JSON.objectNode()
                .put("IdentityPoolId", pool.id().value()).put("IdentityPoolName", pool.name())));
        handlers.put("DeleteIdentityPool", (caller, in) -> {
            pools.deletePool(caller, poolId(in));
            return null;
        });
        handlers.put("GetId", this::getId);
        handlers.put("ListIdentities", this::listIdentities);
        handlers.put("DescribeIdentity", (caller, in) -> identity(pools.describeIdentity(caller, new IdentityId(in.path("IdentityId").asText()))));
    }

    @Override
    public ServiceModel model() {
        return model;
    }

    @Override
    public String badInputError() {
        return INVALID;
    }

    @Override
    public String accessDeniedError() {
        return "NotAuthorizedException";
    }

    @Override
    public Map<String, Handler> handlers() {
        return handlers;
    }

    private JsonNode createIdentityPool(Caller caller, ObjectNode in) {
        if (in.path("AllowUnauthenticatedIdentities").asBoolean()) {
            throw new AwsError(400, INVALID, "AllowUnauthenticatedIdentities must be false: Tally's identities are created by"
                    + " developers (GetId with developer credentials), never by unauthenticated devices");
        }
        for (String setting : PROVIDER_SETTINGS) {
            if (in.path(setting).size() > 0 || in.path(setting).isTextual()) {
                throw new AwsError(400, INVALID, setting + " is not supported: Tally keeps identities, not identity providers;"
                        + " leave " + setting + " out");
            }
        }
        return pool(pools.createPool(caller, in.path("IdentityPoolName").asText()));
    }

    private JsonNode getId(Caller caller, ObjectNode in) {
        if (in.path("Logins").size() > 0) {
            throw new AwsError(400, INVALID, "Logins are not supported: Tally does not federate with identity providers;"
                    + " call GetId with developer credentials and no Logins, and keep the identity id it returns");
        }
        return JSON.objectNode().put("IdentityId", pools.createIdentity(caller, poolId(in)).value());
    }

    private JsonNode listIdentities(Caller caller, ObjectNode in) {
        ObjectNode out = Values.page(pools.listIdentities(caller, poolId(in), in.path("MaxResults").asInt(), in.path("NextToken").asText("")),
                "Identities", "NextToken", CognitoIdentityService::identity);
        return out.put("IdentityPoolId", poolId(in).value());
    }

    private static IdentityPoolId poolId(ObjectNode in) {
        return new IdentityPoolId(in.path("IdentityPoolId").asText());
    }

    private static ObjectNode pool(IdentityPool pool) {
        return JSON.objectNode().put("IdentityPoolId", pool.id().value()).put("IdentityPoolName", pool.name())
                .put("AllowUnauthenticatedIdentities", false);
    }

    private static ObjectNode identity(IdentityDescription identity) {
        ObjectNode out = JSON.objectNode().put("IdentityId", identity.identity().value());
        out.set("CreationDate", Values.epochSeconds(identity.createdAt()));
        out.set("LastModifiedDate", Values.epochSeconds(identity.lastModified()));
        return out;
    }
}
