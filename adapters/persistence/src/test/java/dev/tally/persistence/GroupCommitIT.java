package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.SERVER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.common.ConflictException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Writes under load, on both stores (SQLite batches them into shared commits): every acknowledged write is
 * stored exactly once, and a write that fails after writing leaves nothing behind, without disturbing the
 * other writes of its batch.
 */
class GroupCommitIT extends StoreContract {

    @Test
    void underLoad_exactlyTheAcknowledgedWritesAreStored_andFailedOnesLeaveNothing() throws Exception {
        List<Callable<Set<String>>> writers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            writers.add(() -> {
                Set<String> acknowledged = new HashSet<>();
                for (int i = 0; i < 300; i++) {
                    String name = "w" + thread + "-" + i;
                    boolean fails = i % 5 == 0;
                    try {
                        database.write(tx -> {
                            tx.insertInto(SERVER_SECRET).set(SERVER_SECRET.NAME, name).set(SERVER_SECRET.SECRET_HEX, "00").execute();
                            if (fails) {
                                throw new ConflictException("name", "refused after writing " + name);
                            }
                            return name;
                        });
                        acknowledged.add(name);
                    } catch (ConflictException expected) {
                        assertThat(fails).isTrue();
                    }
                }
                return acknowledged;
            });
        }

        Set<String> acknowledged = new HashSet<>();
        for (Races.Outcome<Set<String>> outcome : Races.race(writers)) {
            assertThat(outcome.failure()).isNull();
            acknowledged.addAll(outcome.result());
        }

        Set<String> stored = new HashSet<>(database.read().select(SERVER_SECRET.NAME).from(SERVER_SECRET)
                .where(SERVER_SECRET.NAME.startsWith("w")).fetch(SERVER_SECRET.NAME));
        assertThat(acknowledged).hasSize(16 * 240);
        assertThat(stored).isEqualTo(acknowledged);
    }

    @Test
    void aWriteThatStartsAnotherWrite_isRefused_insteadOfWaitingForItself() {
        String result = database.write(tx -> {
            try {
                database.write(inner -> "nested");
                return "nested write allowed";
            } catch (IllegalStateException refused) {
                return "refused";
            }
        });

        assertThat(result).isIn("refused", "nested write allowed");
        if (store.settings().postgresUrl().isEmpty()) {
            assertThat(result).isEqualTo("refused");
        }
    }
}
