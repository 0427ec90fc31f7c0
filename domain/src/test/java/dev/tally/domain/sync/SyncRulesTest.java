package dev.tally.domain.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.LimitExceededException;
import dev.tally.domain.common.ResourceConflictException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The UpdateRecords rule: sizes, limits at and one over each boundary, and sync counts. */
class SyncRulesTest {

    private static final IdentityId IDENTITY = new IdentityId("us-east-1:00000000-0000-0000-0000-0000000000a1");
    private static final DatasetName SETTINGS = new DatasetName("settings");
    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void recordSize_countsUtf8BytesOfKeyAndValue() {
        assertThat(SyncLimits.size("k", "v")).isEqualTo(2);
        assertThat(SyncLimits.size("é", "€")).isEqualTo(2 + 3);
        assertThat(SyncLimits.size("😀", "a😀b")).isEqualTo(4 + 6);
        String mixed = "aé€😀 ünïcødé ✓";
        assertThat(SyncLimits.size(mixed, mixed)).isEqualTo(2L * mixed.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void key_mayHave1To1024Characters_countingCodePoints() {
        SyncLimits.requireKey("key", "k");
        SyncLimits.requireKey("key", "k".repeat(1024));
        SyncLimits.requireKey("key", "😀".repeat(1024));
        assertThatThrownBy(() -> SyncLimits.requireKey("record_patches[0].key", ""))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("record_patches[0].key");
        assertThatThrownBy(() -> SyncLimits.requireKey("key", "k".repeat(1025))).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void value_mayHaveUpTo1048575Characters() {
        SyncLimits.requireValue("value", "");
        SyncLimits.requireValue("value", "v".repeat(1_048_575));
        assertThatThrownBy(() -> SyncLimits.requireValue("value", "v".repeat(1_048_576)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("1048575");
    }

    @Test
    void newDataset_takesItsPatches_andCountsRecordsAndBytes() {
        DatasetWrite write = decide(List.of(replace("theme", "dark", 0), replace("lang", "fr", 0)), fresh());

        assertThat(write.created()).isTrue();
        assertThat(write.after().numRecords()).isEqualTo(2);
        assertThat(write.after().dataStorage()).isEqualTo(9 + 6);
        assertThat(write.after().syncCount()).isEqualTo(1);
        assertThat(write.stored()).extracting(Record::syncCount).containsOnly(1L);
        assertThat(write.storageDelta()).isEqualTo(15);
    }

    @Test
    void replace_raisesTheRecordsSyncCount_andAdjustsBytes() {
        Record theme = stored("theme", "dark", 3);
        DatasetWrite write = decide(List.of(replace("theme", "light", 3)), existing(theme));

        assertThat(write.stored()).singleElement().satisfies(r -> {
            assertThat(r.syncCount()).isEqualTo(4);
            assertThat(r.value()).isEqualTo("light");
        });
        assertThat(write.storageDelta()).isEqualTo(1);
        assertThat(write.after().numRecords()).isEqualTo(1);
    }

    @Test
    void staleSyncCount_rejectsTheWholeUpdate() {
        Record theme = stored("theme", "dark", 3);

        assertThatThrownBy(() -> decide(List.of(replace("lang", "fr", 0), replace("theme", "light", 2)), existing(theme)))
                .isInstanceOf(ResourceConflictException.class)
                .hasMessageContaining("'theme' is at sync_count 3, not 2");
        assertThatThrownBy(() -> decide(List.of(replace("new", "x", 1)), fresh())).isInstanceOf(ResourceConflictException.class);
    }

    @Test
    void remove_dropsTheRecordFromEveryFigure_andAMissingKeyAtZeroIsANoOp() {
        Record theme = stored("theme", "dark", 2);

        DatasetWrite removed = decide(List.of(remove("theme", 2)), existing(theme));
        DatasetWrite missing = decide(List.of(remove("ghost", 0)), existing(theme));

        assertThat(removed.removed()).containsExactly(theme);
        assertThat(removed.after().numRecords()).isZero();
        assertThat(removed.after().dataStorage()).isZero();
        assertThat(missing.removed()).isEmpty();
        assertThat(missing.after().numRecords()).isEqualTo(1);
        assertThatThrownBy(() -> decide(List.of(remove("ghost", 1)), existing(theme))).isInstanceOf(ResourceConflictException.class);
    }

    @Test
    void datasetMayHold1024Records_notOneMore() {
        Map<String, Record> records = new HashMap<>();
        for (int i = 0; i < 1023; i++) {
            records.put("k" + i, stored("k" + i, "", 1));
        }
        DatasetState full = new DatasetState(Optional.of(dataset(1023, 1023 * 5L)), 1, records);

        assertThat(decide(List.of(replace("last", "", 0)), full).after().numRecords()).isEqualTo(1024);
        assertThatThrownBy(() -> decide(List.of(replace("last", "", 0), replace("over", "", 0)), full))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("1025 records");
    }

    @Test
    void datasetMayHoldOneMegabyte_notOneByteMore() {
        String value = "v".repeat(1_048_576 - 1);

        assertThat(decide(List.of(replace("k", value, 0)), fresh()).after().dataStorage()).isEqualTo(1_048_576);
        assertThatThrownBy(() -> decide(List.of(replace("k", value + "v", 0)), fresh()))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("1048577 bytes");
        assertThatThrownBy(() -> decide(List.of(replace("é", value, 0)), fresh())).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void identityMayHave20Datasets_notOneMore() {
        assertThat(decide(List.of(), new DatasetState(Optional.empty(), 19, Map.of())).created()).isTrue();
        assertThatThrownBy(() -> decide(List.of(), new DatasetState(Optional.empty(), 20, Map.of())))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("20 datasets");
        assertThat(decide(List.of(replace("k", "v", 0)), new DatasetState(Optional.of(dataset(0, 0)), 20, Map.of())).created())
                .isFalse();
    }

    private static DatasetWrite decide(List<RecordPatch> patches, DatasetState state) {
        return DatasetUpdate.decide(IDENTITY, SETTINGS, new ArrayList<>(patches), state, NOW, "device-1");
    }

    private static DatasetState fresh() {
        return new DatasetState(Optional.empty(), 0, Map.of());
    }

    private static DatasetState existing(Record... records) {
        Map<String, Record> byKey = new HashMap<>();
        long bytes = 0;
        for (Record record : records) {
            byKey.put(record.key(), record);
            bytes += record.size();
        }
        return new DatasetState(Optional.of(dataset(records.length, bytes)), 1, byKey);
    }

    private static Dataset dataset(long records, long bytes) {
        return new Dataset(IDENTITY, SETTINGS, NOW, NOW, "device-0", bytes, records, 7);
    }

    private static Record stored(String key, String value, long syncCount) {
        return new Record(key, value, syncCount, 5, NOW, "device-0", Optional.empty());
    }

    private static RecordPatch replace(String key, String value, long syncCount) {
        return new RecordPatch(RecordPatch.Operation.REPLACE, key, value, syncCount, Optional.empty());
    }

    private static RecordPatch remove(String key, long syncCount) {
        return new RecordPatch(RecordPatch.Operation.REMOVE, key, "", syncCount, Optional.empty());
    }
}
