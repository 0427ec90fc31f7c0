package dev.tally.console;

import static dev.tally.console.ConsoleDoor.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.license.Checkout;
import dev.tally.domain.license.CheckoutItem;
import dev.tally.domain.license.Entitlement;
import dev.tally.domain.license.EntitlementUsage;
import dev.tally.domain.license.License;
import dev.tally.domain.license.port.in.GetLicenseUsageQuery;
import dev.tally.domain.license.port.in.ManageLicenses;
import dev.tally.domain.quota.DailyUsage;
import dev.tally.domain.quota.UsagePlan;
import dev.tally.domain.quota.UsageQuery;
import dev.tally.domain.quota.UsageReport;
import dev.tally.domain.quota.port.in.GetUsageQuery;
import dev.tally.domain.quota.port.in.ManageUsagePlans;
import dev.tally.domain.sync.Dataset;
import dev.tally.domain.sync.IdentityPoolUsage;
import dev.tally.domain.sync.IdentityUsage;
import dev.tally.domain.sync.port.in.DescribeSyncUsage;
import dev.tally.domain.sync.port.in.SyncDatasets;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The console's JSON API: each view in one call, read through the same in-ports the other doors use. A
 * plan's usage comes a page of 500 keys at a time, as GetUsage pages it, so a plan of 10,000 keys costs
 * twenty calls, never one per key.
 */
public final class ConsoleApi {

    private static final int USAGE_PAGE_KEYS = 500;

    private final ManageUsagePlans plans;
    private final GetUsageQuery usage;
    private final ManageLicenses licenses;
    private final GetLicenseUsageQuery licenseUsage;
    private final DescribeSyncUsage syncUsage;
    private final SyncDatasets datasets;
    private final Clock clock;

    public ConsoleApi(ManageUsagePlans plans, GetUsageQuery usage, ManageLicenses licenses, GetLicenseUsageQuery licenseUsage,
                      DescribeSyncUsage syncUsage, SyncDatasets datasets, Clock clock) {
        this.plans = Objects.requireNonNull(plans, "plans");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.licenses = Objects.requireNonNull(licenses, "licenses");
        this.licenseUsage = Objects.requireNonNull(licenseUsage, "licenseUsage");
        this.syncUsage = Objects.requireNonNull(syncUsage, "syncUsage");
        this.datasets = Objects.requireNonNull(datasets, "datasets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The view at {@code path} (below /console/api/, still percent-encoded) for a developer. */
    JsonNode answer(Caller caller, String path, String rawQuery) {
        String[] parts = path.split("/", -1);
        Map<String, String> query = query(rawQuery);
        return switch (parts.length == 0 ? "" : parts[0]) {
            case "session" -> JSON.createObjectNode().put("kind", "developer").put("key_id", ((Caller.Developer) caller).keyId());
            case "plans" -> switch (parts.length) {
                case 1 -> planList(caller, query.getOrDefault("page_token", ""));
                case 2 -> plan(plans.getPlan(caller, new UsagePlanId(decode(parts[1]))), Optional.empty());
                case 3 -> require(parts[2].equals("usage"), path, () -> planUsage(caller, new UsagePlanId(decode(parts[1])), query));
                default -> throw unknown(path);
            };
            case "licenses" -> switch (parts.length) {
                case 1 -> licenseList(caller, query.getOrDefault("page_token", ""));
                case 2 -> license(caller, new LicenseArn(decode(parts[1])));
                default -> throw unknown(path);
            };
            case "pools" -> switch (parts.length) {
                case 1 -> poolList(caller, query.getOrDefault("page_token", ""));
                case 2 -> pool(caller, new IdentityPoolId(decode(parts[1])));
                case 4 -> require(parts[2].equals("identities"), path,
                        () -> identity(caller, new IdentityPoolId(decode(parts[1])), new IdentityId(decode(parts[3]))));
                default -> throw unknown(path);
            };
            default -> throw unknown(path);
        };
    }

    /** The name of the view at {@code path}, without its ids, for metrics and the access log (a few names, whatever the ids). */
    static String view(String path) {
        String[] parts = path.split("/", -1);
        return switch (parts.length) {
            case 1 -> switch (parts[0]) {
                case "session", "plans", "licenses", "pools" -> parts[0];
                default -> "unknown";
            };
            case 2 -> switch (parts[0]) {
                case "plans", "licenses", "pools" -> parts[0].substring(0, parts[0].length() - 1);
                default -> "unknown";
            };
            case 3 -> parts[0].equals("plans") && parts[2].equals("usage") ? "plan.usage" : "unknown";
            case 4 -> parts[0].equals("pools") && parts[2].equals("identities") ? "identity" : "unknown";
            default -> "unknown";
        };
    }

    // ---- usage plans ------------------------------------------------------------------------------

    private JsonNode planList(Caller caller, String pageToken) {
        Page<UsagePlan> page = plans.listPlans(caller, 100, pageToken, Optional.empty());
        Map<UsagePlanId, Long> counts = plans.countKeys(caller, page.items().stream().map(UsagePlan::id).toList());
        return page("plans", page, plan -> plan(plan, Optional.of(counts.get(plan.id()))));
    }

    private static ObjectNode plan(UsagePlan plan, Optional<Long> keyCount) {
        ObjectNode out = JSON.createObjectNode().put("id", plan.id().value()).put("name", plan.name())
                .put("description", plan.description()).put("time_zone", plan.timeZone().getId()).put("period", plan.period().name());
        plan.quota().ifPresentOrElse(quota -> out.put("quota_limit", quota.limit()), () -> out.putNull("quota_limit"));
        keyCount.ifPresent(count -> out.put("key_count", count));
        return out;
    }

    /** Daily use and what remains, per key, from {@code from} to {@code to} (by default this period, in the plan's time zone). */
    private JsonNode planUsage(Caller caller, UsagePlanId id, Map<String, String> query) {
        UsagePlan plan = plans.getPlan(caller, id);
        LocalDate today = plan.day(clock.instant());
        String from = query.getOrDefault("from", plan.period().start(today).toString());
        String to = query.getOrDefault("to", today.toString());
        UsageReport report = usage.getUsage(caller, new UsageQuery(id, Optional.empty(), from, to, query.getOrDefault("page_token", ""),
                USAGE_PAGE_KEYS));
        ObjectNode out = JSON.createObjectNode();
        out.set("plan", plan(plan, Optional.empty()));
        out.put("from", report.start().toString()).put("to", report.end().toString()).put("today", today.toString());
        ArrayNode days = out.putArray("days");
        for (LocalDate day = report.start(); !day.isAfter(report.end()); day = day.plusDays(1)) {
            days.add(day.toString());
        }
        ArrayNode keys = out.putArray("keys");
        for (Map.Entry<ApiKeyId, List<DailyUsage>> entry : report.items().entrySet()) {
            ObjectNode key = keys.addObject().put("key_id", entry.getKey().value());
            ArrayNode used = key.putArray("used");
            ArrayNode remaining = key.putArray("remaining");
            long total = 0;
            for (DailyUsage day : entry.getValue()) {
                used.add(day.used());
                total += day.used();
                if (day.remaining().isPresent()) {
                    remaining.add(day.remaining().getAsLong());
                } else {
                    remaining.addNull();
                }
            }
            key.put("total_used", total);
        }
        // Closest to quota among all the plan's keys, not only this page's: one read of the period counters.
        ArrayNode closest = out.putArray("closest");
        for (Map.Entry<ApiKeyId, List<DailyUsage>> entry : usage.closestToQuota(caller, id).items().entrySet()) {
            DailyUsage day = entry.getValue().get(0);
            ObjectNode key = closest.addObject().put("key_id", entry.getKey().value()).put("used_today", day.used());
            day.remaining().ifPresentOrElse(left -> key.put("remaining", left), () -> key.putNull("remaining"));
        }
        return out.put("next_page_token", report.position());
    }

    // ---- licenses ---------------------------------------------------------------------------------

    private JsonNode licenseList(Caller caller, String pageToken) {
        return page("licenses", licenses.list(caller, 100, pageToken), ConsoleApi::licenseSummary);
    }

    private static ObjectNode licenseSummary(License license) {
        ObjectNode out = JSON.createObjectNode().put("arn", license.arn().value()).put("name", license.name())
                .put("product_name", license.productName()).put("product_sku", license.productSku()).put("issuer", license.issuer())
                .put("status", license.status().name()).put("valid_from", license.validFrom().toString())
                .put("beneficiary", license.beneficiary());
        license.validUntil().ifPresentOrElse(until -> out.put("valid_until", until.toString()), () -> out.putNull("valid_until"));
        return out;
    }

    private JsonNode license(Caller caller, LicenseArn arn) {
        License license = licenses.get(caller, arn);
        Map<String, Entitlement> entitlements = new HashMap<>();
        license.entitlements().forEach(e -> entitlements.put(e.name(), e));
        ObjectNode out = JSON.createObjectNode();
        out.set("license", licenseSummary(license));
        ArrayNode gauges = out.putArray("entitlements");
        for (EntitlementUsage used : licenseUsage.usage(caller, arn)) {
            ObjectNode gauge = gauges.addObject().put("name", used.name()).put("unit", used.unit().name()).put("consumed", used.consumed())
                    .put("overage_allowed", entitlements.get(used.name()).overage());
            used.maxCount().ifPresentOrElse(max -> gauge.put("max_count", max), () -> gauge.putNull("max_count"));
            gauge.put("value", entitlements.get(used.name()).value());
        }
        ArrayNode checkouts = out.putArray("checkouts");
        for (Checkout checkout : licenses.liveCheckouts(caller, arn)) {
            // The token lets its holder check the seats in: shown only as a recognisable prefix.
            ObjectNode item = checkouts.addObject().put("token_prefix", checkout.token().substring(0, 8)).put("type", checkout.type().name())
                    .put("issued_at", checkout.issuedAt().toString()).put("node_id", checkout.nodeId());
            checkout.expiration().ifPresentOrElse(at -> item.put("expires_at", at.toString()), () -> item.putNull("expires_at"));
            ArrayNode items = item.putArray("items");
            for (CheckoutItem held : checkout.items()) {
                items.addObject().put("name", held.name()).put("value", held.value());
            }
        }
        return out;
    }

    // ---- identity pools ---------------------------------------------------------------------------

    /** A page of pools with their names and usage, in one read. */
    private JsonNode poolList(Caller caller, String pageToken) {
        return page("pools", syncUsage.listIdentityPoolUsage(caller, 50, pageToken), ConsoleApi::poolUsage);
    }

    private static ObjectNode poolUsage(IdentityPoolUsage usage) {
        ObjectNode out = JSON.createObjectNode().put("id", usage.pool().value()).put("name", usage.name())
                .put("data_storage", usage.dataStorage()).put("last_modified", usage.lastModified().toString());
        usage.syncSessionsCount().ifPresentOrElse(count -> out.put("sync_sessions", count), () -> out.putNull("sync_sessions"));
        return out;
    }

    private JsonNode pool(Caller caller, IdentityPoolId id) {
        ObjectNode out = JSON.createObjectNode();
        out.set("pool", poolUsage(syncUsage.describeIdentityPoolUsage(caller, id)));
        ArrayNode identities = out.putArray("identities");
        syncUsage.largestIdentities(caller, id).forEach(identity -> identities.add(identityUsage(identity)));
        return out;
    }

    private static ObjectNode identityUsage(IdentityUsage usage) {
        return JSON.createObjectNode().put("id", usage.identity().value()).put("dataset_count", usage.datasetCount())
                .put("data_storage", usage.dataStorage()).put("last_modified", usage.lastModified().toString());
    }

    private JsonNode identity(Caller caller, IdentityPoolId pool, IdentityId id) {
        ObjectNode out = JSON.createObjectNode();
        out.set("identity", identityUsage(syncUsage.describeIdentityUsage(caller, pool, id)));
        out.put("pool_id", pool.value());
        ArrayNode items = out.putArray("datasets");
        for (Dataset dataset : datasets.listDatasets(caller, pool, id, "", 64).items()) {
            items.addObject().put("name", dataset.name().value()).put("num_records", dataset.numRecords())
                    .put("data_storage", dataset.dataStorage()).put("last_modified", dataset.lastModified().toString())
                    .put("last_modified_by", dataset.lastModifiedBy());
        }
        return out;
    }

    /** A list view: {@code {<member>: [...], "next_page_token": ...}}, the token empty on the last page. */
    private static <T> ObjectNode page(String member, Page<T> page, Function<T, JsonNode> item) {
        ArrayNode items = JSON.createArrayNode();
        page.items().forEach(t -> items.add(item.apply(t)));
        return JSON.createObjectNode().<ObjectNode>set(member, items).put("next_page_token", page.nextToken());
    }

    // ---- requests ---------------------------------------------------------------------------------

    private static JsonNode require(boolean known, String path, java.util.function.Supplier<JsonNode> view) {
        if (!known) {
            throw unknown(path);
        }
        return view.get();
    }

    private static NotFoundException unknown(String path) {
        return new NotFoundException("path", "the console API has no view " + TallyException.quote(path));
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        for (String part : rawQuery.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                query.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
            }
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new dev.tally.domain.common.InvalidParameterException("path", "malformed percent-encoding in "
                    + TallyException.quote(text));
        }
    }
}
