package dev.tally.domain.quota.port.in;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.ApiKey;
import dev.tally.domain.quota.NewApiKey;
import dev.tally.domain.quota.NewUsagePlan;
import dev.tally.domain.quota.UsagePlan;
import java.util.Optional;

/**
 * Usage plans, API keys and their associations. Developers only (PermissionDeniedException,
 * AccessDeniedException). Bad input: InvalidParameterException (BadRequestException); unknown plan or key:
 * NotFoundException (NotFoundException); duplicates: ConflictException.
 */
public interface ManageUsagePlans {

    UsagePlan createPlan(Caller caller, NewUsagePlan plan);

    UsagePlan getPlan(Caller caller, UsagePlanId plan);

    /** Plans ordered by id; page size 0 means 25, at most 500. */
    Page<UsagePlan> listPlans(Caller caller, int pageSize, String pageToken);

    void deletePlan(Caller caller, UsagePlanId plan);

    /** Creates a key with the given value (20..128 of [A-Za-z0-9]) or a generated one; values never repeat. */
    NewApiKey createKey(Caller caller, String name, String description, boolean enabled, Optional<String> value);

    /** Keys ordered by id, without values. */
    Page<ApiKey> listKeys(Caller caller, int pageSize, String pageToken);

    ApiKey updateKey(Caller caller, ApiKeyId key, Optional<Boolean> enabled, Optional<String> name, Optional<String> description);

    /** Associates a key with a plan; already associated: ConflictException. */
    ApiKey addKey(Caller caller, UsagePlanId plan, ApiKeyId key);

    void removeKey(Caller caller, UsagePlanId plan, ApiKeyId key);

    /** The plan's keys ordered by id. */
    Page<ApiKey> listPlanKeys(Caller caller, UsagePlanId plan, int pageSize, String pageToken);
}
