package dev.tally.domain.quota.port.out;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.ApiKey;
import dev.tally.domain.quota.UsagePlan;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Usage plans, API keys and their associations. API key values are looked up by SHA-256 digest; the values
 * themselves exist here only sealed under the master key, which the store never sees.
 */
public interface UsagePlanStore {

    void insertPlan(UsagePlan plan);

    Optional<UsagePlan> plan(UsagePlanId id);

    /**
     * Up to {@code request.size() + 1} plans with ids after the cursor, ordered by id; only those {@code key}
     * is associated with when given.
     */
    List<UsagePlan> plans(PageRequest request, Optional<ApiKeyId> key);

    /** Writes the plan's name, description, quota and throttle; false when there is no such plan. */
    boolean updatePlan(UsagePlan plan);

    /**
     * A number that every change or removal of a plan, key or association moves, made by any server sharing
     * this store; new plans, keys and associations leave it as it is.
     */
    long metadataVersion();

    /** Deletes the plan, its associations and its usage; false when there was no such plan. */
    boolean deletePlan(UsagePlanId id);

    /**
     * @throws dev.tally.domain.common.ConflictException when another key has the same value
     */
    void insertKey(ApiKey key, String valueSha256, byte[] sealedValue);

    /** The sealed values of those of {@code keys} that have one (keys made before values were kept have none). */
    Map<ApiKeyId, byte[]> sealedValues(Collection<ApiKeyId> keys);

    /** Deletes the key, its associations and its usage counters; false when there was no such key. */
    boolean deleteKey(ApiKeyId key);

    Optional<ApiKey> key(ApiKeyId id);

    Optional<ApiKey> keyByValue(String valueSha256);

    /** Up to {@code request.size() + 1} keys with ids after the cursor whose name starts with {@code namePrefix}, by id. */
    List<ApiKey> keys(PageRequest request, String namePrefix);

    /** Applies the given changes; empty when there is no such key. */
    Optional<ApiKey> updateKey(ApiKeyId id, Optional<Boolean> enabled, Optional<String> name, Optional<String> description);

    /** Associates the key with the plan; false when it was associated already. */
    boolean associate(UsagePlanId plan, ApiKeyId key, Instant now);

    /** Removes the association; false when there was none. */
    boolean dissociate(UsagePlanId plan, ApiKeyId key);

    boolean associated(UsagePlanId plan, ApiKeyId key);

    /** How many keys each of {@code plans} has, in one read; plans without keys are left out. */
    Map<UsagePlanId, Long> keyCounts(Collection<UsagePlanId> plans);

    /**
     * Up to {@code request.size() + 1} of the plan's keys with ids after the cursor whose name starts with
     * {@code namePrefix} (empty for all), ordered by id.
     */
    List<ApiKey> planKeys(UsagePlanId plan, PageRequest request, String namePrefix);
}
