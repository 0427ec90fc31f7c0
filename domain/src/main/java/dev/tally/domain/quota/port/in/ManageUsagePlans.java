package dev.tally.domain.quota.port.in;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.ApiKey;
import dev.tally.domain.quota.ApiKeyWithValue;
import dev.tally.domain.quota.NewApiKey;
import dev.tally.domain.quota.NewUsagePlan;
import dev.tally.domain.quota.UsagePlan;
import dev.tally.domain.quota.UsagePlanUpdate;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Usage plans, API keys and their associations. Developers only (PermissionDeniedException,
 * AccessDeniedException). Bad input: InvalidParameterException (BadRequestException); unknown plan or key:
 * NotFoundException (NotFoundException); duplicates: ConflictException.
 */
public interface ManageUsagePlans {

    UsagePlan createPlan(Caller caller, NewUsagePlan plan);

    UsagePlan getPlan(Caller caller, UsagePlanId plan);

    /** Plans ordered by id, only those {@code key} is associated with when given; page size 0 means 25, at most 500. */
    Page<UsagePlan> listPlans(Caller caller, int pageSize, String pageToken, Optional<ApiKeyId> key);

    /** How many API keys each plan has (0 for a plan without keys or an unknown plan), in one read. Developers only. */
    Map<UsagePlanId, Long> countKeys(Caller caller, Collection<UsagePlanId> plans);

    /** Applies the changes given; the period counters stay, so a new limit applies to what was used already. */
    UsagePlan updatePlan(Caller caller, UsagePlanId plan, UsagePlanUpdate update);

    void deletePlan(Caller caller, UsagePlanId plan);

    /** Creates a key with the given value (20..128 of [A-Za-z0-9]) or a generated one; values never repeat. */
    NewApiKey createKey(Caller caller, String name, String description, boolean enabled, Optional<String> value);

    /** One key, with its value when {@code includeValue} and the store kept it. */
    ApiKeyWithValue getKey(Caller caller, ApiKeyId key, boolean includeValue);

    /** Keys ordered by id whose name starts with {@code nameQuery} (empty for all), with values when asked for. */
    Page<ApiKeyWithValue> listKeys(Caller caller, int pageSize, String pageToken, String nameQuery, boolean includeValues);

    /** Deletes a key, its associations and its usage counters. */
    void deleteKey(Caller caller, ApiKeyId key);

    ApiKey updateKey(Caller caller, ApiKeyId key, Optional<Boolean> enabled, Optional<String> name, Optional<String> description);

    /** Associates a key with a plan; already associated: ConflictException. */
    ApiKey addKey(Caller caller, UsagePlanId plan, ApiKeyId key);

    void removeKey(Caller caller, UsagePlanId plan, ApiKeyId key);

    /** One key of the plan; a key the plan does not have: NotFoundException. */
    ApiKey getPlanKey(Caller caller, UsagePlanId plan, ApiKeyId key);

    /** The plan's keys ordered by id whose name starts with {@code nameQuery} (empty for all). */
    Page<ApiKey> listPlanKeys(Caller caller, UsagePlanId plan, int pageSize, String pageToken, String nameQuery);
}
