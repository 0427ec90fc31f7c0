package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.IDENTITY_POOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * HotQuery on both stores: values reach their parameters by name, whatever order the SQL puts them in, and
 * reads that PostgreSQL shares between calls answer each call as if it had run alone.
 */
class HotQueryIT extends StoreContract {

    private static final long NOW = 1_700_000_000_000L;

    @Test
    void valuesAreBoundByNameInAnyOrderAndAParameterMayOccurTwice() {
        HotQuery insert = database.hotQuery(DSL.insertInto(IDENTITY_POOL)
                .set(IDENTITY_POOL.POOL_ID, DSL.param("id", IDENTITY_POOL.POOL_ID))
                .set(IDENTITY_POOL.NAME, DSL.param("name", IDENTITY_POOL.NAME))
                .set(IDENTITY_POOL.CREATED_AT, DSL.param("at", IDENTITY_POOL.CREATED_AT)), "at", "name", "id");
        int inserted = database.write(tx -> insert.execute(tx, NOW, "alpha", "us-east-1:a") + insert.execute(tx, NOW + 1, "beta", "us-east-1:b"));
        assertThat(inserted).isEqualTo(2);

        HotQuery named = database.hotQuery(DSL.select(IDENTITY_POOL.POOL_ID, IDENTITY_POOL.CREATED_AT).from(IDENTITY_POOL)
                .where(IDENTITY_POOL.NAME.eq(DSL.param("name", IDENTITY_POOL.NAME)).or(IDENTITY_POOL.POOL_ID.eq(DSL.param("name", IDENTITY_POOL.POOL_ID))))
                .and(IDENTITY_POOL.CREATED_AT.ge(DSL.param("since", IDENTITY_POOL.CREATED_AT))), "since", "name");
        for (int call = 0; call < 3; call++) { // again and again: from the statement cache on SQLite
            assertThat(named.first(database.read(), row -> row.getString(1) + "@" + row.getLong(2), NOW, "beta"))
                    .contains("us-east-1:b@" + (NOW + 1));
            assertThat(named.first(database.read(), row -> row.getString(1), NOW + 2, "beta")).isEmpty();
        }
        HotQuery all = database.hotQuery(DSL.select(IDENTITY_POOL.NAME).from(IDENTITY_POOL)
                .where(IDENTITY_POOL.CREATED_AT.ge(DSL.param("since", IDENTITY_POOL.CREATED_AT)))
                .orderBy(IDENTITY_POOL.NAME), "since");
        assertThat(all.list(database.read(), row -> row.getString(1), NOW)).isEqualTo(List.of("alpha", "beta"));
    }

    @Test
    void sharedReads_answerEachCallWithItsOwnRows_alsoWhenManyRace() throws Exception {
        HotQuery insert = database.hotQuery(DSL.insertInto(IDENTITY_POOL)
                .set(IDENTITY_POOL.POOL_ID, DSL.param("id", IDENTITY_POOL.POOL_ID))
                .set(IDENTITY_POOL.NAME, DSL.param("name", IDENTITY_POOL.NAME))
                .set(IDENTITY_POOL.CREATED_AT, DSL.param("at", IDENTITY_POOL.CREATED_AT)), "id", "name", "at");
        database.write(tx -> {
            for (int i = 0; i < 40; i++) {
                insert.execute(tx, "us-east-1:" + i, "pool " + (i % 4), NOW + i);
            }
            return null;
        });
        // Two rows or none per call: the name picks ten pools, the time leaves out those created before it.
        HotQuery named = database.hotQuery(DSL.select(IDENTITY_POOL.POOL_ID).from(IDENTITY_POOL)
                .where(IDENTITY_POOL.NAME.eq(DSL.param("name", IDENTITY_POOL.NAME)))
                .and(IDENTITY_POOL.CREATED_AT.ge(DSL.param("since", IDENTITY_POOL.CREATED_AT)))
                .orderBy(IDENTITY_POOL.CREATED_AT), "name", "since");

        List<Races.Outcome<Integer>> outcomes = Races.race(16, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int call = 0; call < 200; call++) {
                int group = random.nextInt(5);
                long since = NOW + 32 + group;
                List<String> rows = named.list(database, row -> row.getString(1), "pool " + group, since);
                List<String> expected = group == 4 ? List.of()
                        : List.of("us-east-1:" + (group + 32), "us-east-1:" + (group + 36));
                assertThat(rows).isEqualTo(expected);
                assertThat(named.first(database, row -> row.getString(1), "pool " + group, since))
                        .isEqualTo(expected.stream().findFirst());
            }
            return 0;
        });

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.failure()).isNull());
        database.sharedReads().ifPresent(shared -> assertThat(shared.statements()).isPositive().isLessThan(shared.sharedCalls()));
    }

    @Test
    void aBrokenConstraintFailsAsItWouldFromJooq() {
        HotQuery insert = database.hotQuery(DSL.insertInto(IDENTITY_POOL)
                .set(IDENTITY_POOL.POOL_ID, DSL.param("id", IDENTITY_POOL.POOL_ID))
                .set(IDENTITY_POOL.NAME, DSL.param("id", IDENTITY_POOL.NAME))
                .set(IDENTITY_POOL.CREATED_AT, DSL.inline(NOW)), "id");
        database.write(tx -> insert.execute(tx, "us-east-1:a"));

        assertThatThrownBy(() -> database.write(tx -> insert.execute(tx, "us-east-1:a")))
                .isInstanceOf(IntegrityConstraintViolationException.class).hasMessageContaining("identity_pool");
        assertThat(database.read().fetchCount(IDENTITY_POOL)).isEqualTo(1);
    }

    @Test
    void parametersThatDoNotMatchTheQueryAreRefused() {
        var query = DSL.select(IDENTITY_POOL.NAME).from(IDENTITY_POOL).where(IDENTITY_POOL.POOL_ID.eq(DSL.param("id", IDENTITY_POOL.POOL_ID)));
        assertThatThrownBy(() -> database.hotQuery(query, "pool")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":id");
        assertThatThrownBy(() -> database.hotQuery(query, "id", "name")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not every one");
        var unnamed = DSL.select(IDENTITY_POOL.NAME).from(IDENTITY_POOL).where(IDENTITY_POOL.POOL_ID.eq("us-east-1:a"));
        assertThatThrownBy(() -> database.hotQuery(unnamed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a name");
        HotQuery byId = database.hotQuery(query, "id");
        assertThatThrownBy(() -> byId.first(database.read(), row -> row.getString(1), "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 values for the 1 parameters");
    }
}
