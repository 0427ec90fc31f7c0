package dev.tally.aws.apigateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.tally.aws.AwsService;
import dev.tally.aws.protocol.AwsError;
import dev.tally.aws.protocol.ServiceModel;
import dev.tally.aws.protocol.Values;
import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.LargeReads;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.ApiKey;
import dev.tally.domain.quota.ApiKeyWithValue;
import dev.tally.domain.quota.DailyUsage;
import dev.tally.domain.quota.NewApiKey;
import dev.tally.domain.quota.NewUsagePlan;
import dev.tally.domain.quota.QuotaPeriod;
import dev.tally.domain.quota.QuotaSettings;
import dev.tally.domain.quota.ThrottleSettings;
import dev.tally.domain.quota.UsagePlan;
import dev.tally.domain.quota.UsagePlanUpdate;
import dev.tally.domain.quota.UsageQuery;
import dev.tally.domain.quota.UsageReport;
import dev.tally.domain.quota.port.in.GetUsageQuery;
import dev.tally.domain.quota.port.in.ManageUsagePlans;
import dev.tally.domain.quota.port.in.MeterUsage;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * API Gateway's usage plan operations ({@code apigateway}, rest-json) over the quota in-ports. Each handler
 * maps the model's members to a use case and back; the protocol layer has already checked their types.
 */
public final class ApiGatewayService implements AwsService {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private static final String BAD_REQUEST = "BadRequestException";

    private final ServiceModel model = ServiceModel.load("apigateway");
    private final ManageUsagePlans plans;
    private final MeterUsage metering;
    private final GetUsageQuery usage;
    private final LargeReads largeReads;
    private final Map<String, Handler> handlers = new LinkedHashMap<>();

    public ApiGatewayService(ManageUsagePlans plans, MeterUsage metering, GetUsageQuery usage, LargeReads largeReads) {
        this.plans = Objects.requireNonNull(plans, "plans");
        this.metering = Objects.requireNonNull(metering, "metering");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.largeReads = Objects.requireNonNull(largeReads, "largeReads");
        handlers.put("CreateUsagePlan", this::createUsagePlan);
        handlers.put("GetUsagePlan", (caller, in) -> plan(plans.getPlan(caller, planId(in))));
        handlers.put("GetUsagePlans", this::getUsagePlans);
        handlers.put("UpdateUsagePlan", this::updateUsagePlan);
        handlers.put("DeleteUsagePlan", (caller, in) -> {
            plans.deletePlan(caller, planId(in));
            return null;
        });
        handlers.put("CreateApiKey", this::createApiKey);
        handlers.put("GetApiKey", (caller, in) -> key(plans.getKey(caller, new ApiKeyId(in.path("apiKey").asText()),
                in.path("includeValue").asBoolean(false))));
        handlers.put("GetApiKeys", this::getApiKeys);
        handlers.put("UpdateApiKey", this::updateApiKey);
        handlers.put("DeleteApiKey", (caller, in) -> {
            plans.deleteKey(caller, new ApiKeyId(in.path("apiKey").asText()));
            return null;
        });
        handlers.put("CreateUsagePlanKey", this::createUsagePlanKey);
        handlers.put("GetUsagePlanKey", (caller, in) -> planKey(plans.getPlanKey(caller, planId(in), keyId(in))));
        handlers.put("GetUsagePlanKeys", this::getUsagePlanKeys);
        handlers.put("DeleteUsagePlanKey", (caller, in) -> {
            plans.removeKey(caller, planId(in), keyId(in));
            return null;
        });
        handlers.put("GetUsage", this::getUsage);
        handlers.put("UpdateUsage", this::updateUsage);
    }

    @Override
    public ServiceModel model() {
        return model;
    }

    @Override
    public String badInputError() {
        return BAD_REQUEST;
    }

    @Override
    public String accessDeniedError() {
        return "UnauthorizedException";
    }

    @Override
    public Map<String, Handler> handlers() {
        return handlers;
    }

    // ---- usage plans ------------------------------------------------------------------------------

    private JsonNode createUsagePlan(Caller caller, ObjectNode in) {
        if (in.path("apiStages").size() > 0) {
            throw new AwsError(400, BAD_REQUEST, "apiStages are not supported: Tally meters API keys, not APIs; leave apiStages out");
        }
        Optional<QuotaSettings> quota = in.has("quota") ? Optional.of(quota(in.path("quota"))) : Optional.empty();
        Optional<ThrottleSettings> throttle = in.has("throttle") ? Optional.of(throttle(in.path("throttle"))) : Optional.empty();
        return plan(plans.createPlan(caller, new NewUsagePlan(in.path("name").asText(), in.path("description").asText(""),
                quota, throttle, "")));
    }

    private JsonNode getUsagePlans(Caller caller, ObjectNode in) {
        Optional<ApiKeyId> key = in.has("keyId") ? Optional.of(new ApiKeyId(in.path("keyId").asText())) : Optional.empty();
        Page<UsagePlan> page = plans.listPlans(caller, in.path("limit").asInt(0), in.path("position").asText(""), key);
        return page(page, ApiGatewayService::plan);
    }

    private JsonNode updateUsagePlan(Caller caller, ObjectNode in) {
        UsagePlanUpdate update = UsagePlanUpdate.none();
        for (JsonNode patch : in.path("patchOperations")) {
            String op = patch.path("op").asText();
            String path = patch.path("path").asText();
            String value = patch.path("value").asText("");
            if (op.equals("remove") && path.equals("/quota")) {
                update = update.withoutQuota();
            } else if (op.equals("remove") && path.equals("/throttle")) {
                update = update.withoutThrottle();
            } else if (op.equals("replace")) {
                update = switch (path) {
                    case "/name" -> update.withName(value);
                    case "/description" -> update.withDescription(value);
                    case "/quota/limit" -> update.withQuotaLimit(number(path, value));
                    case "/quota/offset" -> update.withQuotaOffset(number(path, value));
                    case "/quota/period" -> update.withQuotaPeriod(period(value));
                    case "/throttle/burstLimit" -> update.withThrottleBurstLimit(smallNumber(path, value));
                    case "/throttle/rateLimit" -> update.withThrottleRateLimit(decimal(path, value));
                    default -> throw unsupportedPatch(op, path);
                };
            } else {
                throw unsupportedPatch(op, path);
            }
        }
        return plan(plans.updatePlan(caller, planId(in), update));
    }

    // ---- API keys ---------------------------------------------------------------------------------

    private JsonNode createApiKey(Caller caller, ObjectNode in) {
        if (in.path("stageKeys").size() > 0) {
            throw new AwsError(400, BAD_REQUEST, "stageKeys are not supported: Tally meters API keys, not API stages; leave stageKeys out");
        }
        NewApiKey created = plans.createKey(caller, in.path("name").asText(""), in.path("description").asText(""),
                in.path("enabled").asBoolean(false), in.has("value") ? Optional.of(in.path("value").asText()) : Optional.empty());
        return key(new ApiKeyWithValue(created.key(), Optional.of(created.value())));
    }

    private JsonNode getApiKeys(Caller caller, ObjectNode in) {
        Page<ApiKeyWithValue> page = plans.listKeys(caller, in.path("limit").asInt(0), in.path("position").asText(""),
                in.path("nameQuery").asText(""), in.path("includeValues").asBoolean(false));
        return page(page, ApiGatewayService::key);
    }

    private JsonNode updateApiKey(Caller caller, ObjectNode in) {
        Optional<Boolean> enabled = Optional.empty();
        Optional<String> name = Optional.empty();
        Optional<String> description = Optional.empty();
        for (JsonNode patch : in.path("patchOperations")) {
            String op = patch.path("op").asText();
            String path = patch.path("path").asText();
            String value = patch.path("value").asText("");
            if (!op.equals("replace")) {
                throw unsupportedPatch(op, path);
            }
            switch (path) {
                case "/enabled" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new AwsError(400, BAD_REQUEST, "the value of /enabled must be true or false, not " + TallyException.quote(value));
                    }
                    enabled = Optional.of(Boolean.parseBoolean(value));
                }
                case "/name" -> name = Optional.of(value);
                case "/description" -> description = Optional.of(value);
                default -> throw unsupportedPatch(op, path);
            }
        }
        ApiKey key = plans.updateKey(caller, new ApiKeyId(in.path("apiKey").asText()), enabled, name, description);
        return key(new ApiKeyWithValue(key, Optional.empty()));
    }

    // ---- usage plan keys --------------------------------------------------------------------------

    private JsonNode createUsagePlanKey(Caller caller, ObjectNode in) {
        if (!in.path("keyType").asText().equals("API_KEY")) {
            throw new AwsError(400, BAD_REQUEST, "keyType " + TallyException.quote(in.path("keyType").asText()) + " is invalid: expected API_KEY");
        }
        return planKey(plans.addKey(caller, planId(in), keyId(in)));
    }

    private JsonNode getUsagePlanKeys(Caller caller, ObjectNode in) {
        Page<ApiKey> page = plans.listPlanKeys(caller, planId(in), in.path("limit").asInt(0), in.path("position").asText(""),
                in.path("nameQuery").asText(""));
        return page(page, ApiGatewayService::planKey);
    }

    // ---- usage ------------------------------------------------------------------------------------

    private JsonNode getUsage(Caller caller, ObjectNode in) {
        Optional<ApiKeyId> key = in.has("keyId") ? Optional.of(keyId(in)) : Optional.empty();
        UsageQuery query = new UsageQuery(planId(in), key, in.path("startDate").asText(), in.path("endDate").asText(),
                in.path("position").asText(""), in.path("limit").asInt(0));
        return largeReads.read(key.isEmpty() && query.limit() > LargeReads.LARGE_PAGE_KEYS, () -> usage(usage.getUsage(caller, query)));
    }

    /** A {@code Usage}, the reply of both GetUsage and UpdateUsage. */
    private static ObjectNode usage(UsageReport report) {
        ObjectNode out = JSON.objectNode()
                .put("usagePlanId", report.plan().value())
                .put("startDate", report.start().toString())
                .put("endDate", report.end().toString());
        if (!report.position().isEmpty()) {
            out.put("position", report.position());
        }
        return out.set("items", items(report));
    }

    /**
     * The page's {@code values} written straight to JSON text: a page of 500 keys by 90 days is 45,000
     * pairs, which as a tree of nodes would cost several times the memory and time of the text.
     */
    private static JsonNode items(UsageReport report) {
        StringWriter text = new StringWriter(64 + report.items().size() * 32);
        try (JsonGenerator out = JSON_FACTORY.createGenerator(text)) {
            out.writeStartObject();
            for (Map.Entry<ApiKeyId, List<DailyUsage>> entry : report.items().entrySet()) {
                out.writeFieldName(entry.getKey().value());
                out.writeStartArray();
                for (DailyUsage day : entry.getValue()) {
                    out.writeStartArray();
                    out.writeNumber(day.used());
                    if (day.remaining().isPresent()) {
                        out.writeNumber(day.remaining().getAsLong());
                    }
                    out.writeEndArray();
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a usage page", e);
        }
        return JSON.rawValueNode(new RawValue(text.toString()));
    }

    private JsonNode updateUsage(Caller caller, ObjectNode in) {
        Long remaining = null;
        for (JsonNode patch : in.path("patchOperations")) {
            String op = patch.path("op").asText();
            String path = patch.path("path").asText();
            if (!op.equals("replace") || !path.equals("/remaining")) {
                throw unsupportedPatch(op, path);
            }
            remaining = number(path, patch.path("value").asText(""));
        }
        if (remaining == null) {
            throw new AwsError(400, BAD_REQUEST, "patchOperations must hold one 'replace' of '/remaining'");
        }
        DailyUsage today = metering.updateUsage(caller, planId(in), keyId(in), remaining);
        return usage(new UsageReport(planId(in), today.date(), today.date(), "", Map.of(keyId(in), List.of(today))));
    }

    // ---- mapping ----------------------------------------------------------------------------------

    private static UsagePlanId planId(ObjectNode in) {
        return new UsagePlanId(in.path("usagePlanId").asText());
    }

    private static ApiKeyId keyId(ObjectNode in) {
        return new ApiKeyId(in.path("keyId").asText());
    }

    private static QuotaSettings quota(JsonNode quota) {
        if (!quota.has("period") || !quota.has("limit")) {
            throw new AwsError(400, BAD_REQUEST, "quota needs both limit and period (DAY, WEEK or MONTH)");
        }
        return new QuotaSettings(quota.path("limit").asLong(), quota.path("offset").asLong(0), period(quota.path("period").asText()));
    }

    private static ThrottleSettings throttle(JsonNode throttle) {
        return new ThrottleSettings(throttle.path("burstLimit").asInt(0), throttle.path("rateLimit").asDouble(0));
    }

    private static QuotaPeriod period(String text) {
        try {
            return QuotaPeriod.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new AwsError(400, BAD_REQUEST, "quota period " + TallyException.quote(text) + " is invalid: expected DAY, WEEK or MONTH");
        }
    }

    private static long number(String path, String value) {
        return parse(path, value, Long::parseLong, "a whole number");
    }

    private static int smallNumber(String path, String value) {
        return parse(path, value, Integer::parseInt, "a whole number up to " + Integer.MAX_VALUE);
    }

    private static double decimal(String path, String value) {
        return parse(path, value, Double::parseDouble, "a number");
    }

    /** A patch operation's value (always a string on the wire) as the number its path needs. */
    private static <T> T parse(String path, String value, java.util.function.Function<String, T> parser, String expected) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new AwsError(400, BAD_REQUEST, "the value of " + path + " must be " + expected + ", not " + TallyException.quote(value));
        }
    }

    private static AwsError unsupportedPatch(String op, String path) {
        return new AwsError(400, BAD_REQUEST, "Invalid patch operation: " + TallyException.quote(op) + " of " + TallyException.quote(path) + " is not supported");
    }

    private static ObjectNode plan(UsagePlan plan) {
        ObjectNode out = JSON.objectNode().put("id", plan.id().value()).put("name", plan.name());
        if (!plan.description().isEmpty()) {
            out.put("description", plan.description());
        }
        out.set("apiStages", JSON.arrayNode());
        plan.quota().ifPresent(quota -> out.set("quota", JSON.objectNode()
                .put("limit", quota.limit()).put("offset", quota.offset()).put("period", quota.period().name())));
        plan.throttle().ifPresent(throttle -> out.set("throttle", JSON.objectNode()
                .put("burstLimit", throttle.burstLimit()).put("rateLimit", throttle.rateLimit())));
        return out;
    }

    private static ObjectNode key(ApiKeyWithValue withValue) {
        ApiKey key = withValue.key();
        ObjectNode out = JSON.objectNode().put("id", key.id().value()).put("name", key.name());
        withValue.value().ifPresent(value -> out.put("value", value.value()));
        if (!key.description().isEmpty()) {
            out.put("description", key.description());
        }
        out.put("enabled", key.enabled());
        out.set("createdDate", Values.epochSeconds(key.createdAt()));
        out.set("lastUpdatedDate", Values.epochSeconds(key.createdAt()));
        out.set("stageKeys", JSON.arrayNode());
        return out;
    }

    private static ObjectNode planKey(ApiKey key) {
        return JSON.objectNode().put("id", key.id().value()).put("type", "API_KEY").put("name", key.name());
    }

    private static <T> ObjectNode page(Page<T> page, java.util.function.Function<T, ObjectNode> item) {
        return Values.page(page, "items", "position", item);
    }

}
