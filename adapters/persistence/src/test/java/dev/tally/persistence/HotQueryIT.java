package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.IDENTITY_POOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** HotQuery on both stores: values reach their parameters by name, whatever order the SQL puts them in. */
class HotQueryIT extends StoreContract {

    private static final long NOW = 1_700_000_000_000L;

    @Test
    void valuesAreBoundByNameInAnyOrderAndAParameterMayOccurTwice() {
        HotQuery insert = database.hotQuery(DSL.insertInto(IDENTITY_POOL)
                .set(IDENTITY_POOL.POOL_ID, DSL.param("id", IDENTITY_POOL.POOL_ID))
                .set(IDENTITY_POOL.NAME, DSL.param("name", IDENTITY_POOL.NAME))
                .set(IDENTITY_POOL.CREATED_AT, DSL.param("at", IDENTITY_POOL.CREATED_AT))
                .set(IDENTITY_POOL.LAST_MODIFIED_AT, DSL.param("at", IDENTITY_POOL.LAST_MODIFIED_AT)), "at", "name", "id");
        int inserted = database.write(tx -> insert.execute(tx, NOW, "alpha", "us-east-1:a") + insert.execute(tx, NOW + 1, "beta", "us-east-1:b"));
        assertThat(inserted).isEqualTo(2);

        HotQuery named = database.hotQuery(DSL.select(IDENTITY_POOL.POOL_ID, IDENTITY_POOL.LAST_MODIFIED_AT).from(IDENTITY_POOL)
                .where(IDENTITY_POOL.NAME.eq(DSL.param("name", IDENTITY_POOL.NAME)))
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
    void aBrokenConstraintFailsAsItWouldFromJooq() {
        HotQuery insert = database.hotQuery(DSL.insertInto(IDENTITY_POOL)
                .set(IDENTITY_POOL.POOL_ID, DSL.param("id", IDENTITY_POOL.POOL_ID))
                .set(IDENTITY_POOL.NAME, DSL.param("id", IDENTITY_POOL.NAME))
                .set(IDENTITY_POOL.CREATED_AT, DSL.inline(NOW))
                .set(IDENTITY_POOL.LAST_MODIFIED_AT, DSL.inline(NOW)), "id");
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
