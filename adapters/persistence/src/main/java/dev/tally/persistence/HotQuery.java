package dev.tally.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jooq.ConnectionCallable;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.exception.SQLStateClass;

/**
 * A statement on a hot path. jOOQ builds it once with named parameters and renders it once for the store's
 * dialect; a call then only binds its values and runs it over plain JDBC. Rendering cost a point read
 * about as much as running it. With {@link StatementCachingDataSource} SQLite also compiles it only once per
 * connection, and the PostgreSQL driver prepares it on the server after a few uses. On PostgreSQL a read
 * may also run for many calls at once, in its shared form ({@link SharedReads}). Everything off the hot
 * paths stays plain jOOQ.
 */
final class HotQuery {

    /** Reads from a result: its current row, or for the helpers below the whole of it. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    private static final Pattern NAMED_PARAMETER = Pattern.compile("(?<!:):([a-z][a-z0-9_]*)");
    /** How jOOQ renders a value given without a name. */
    private static final Pattern UNNAMED_PARAMETER = Pattern.compile("(?<!:):[0-9]+");

    private final String sql;
    private final int valueCount;
    /** For each {@code ?} of the SQL in order, the index of its value among a call's values. */
    private final int[] valueIndexes;
    private final String sharedSql;

    private HotQuery(String sql, int valueCount, int[] valueIndexes, String sharedSql) {
        this.sql = sql;
        this.valueCount = valueCount;
        this.valueIndexes = valueIndexes;
        this.sharedSql = sharedSql;
    }

    /**
     * Renders {@code query} with {@code renderer}'s dialect. {@code parameters} names the query's parameters
     * in the order calls pass their values; every one must occur in the query, and nothing else.
     */
    static HotQuery render(DSLContext renderer, Query query, String... parameters) {
        List<String> names = List.of(parameters);
        String rendered = renderer.renderNamedParams(query);
        if (UNNAMED_PARAMETER.matcher(rendered).find()) {
            throw new IllegalArgumentException("a value without a name (give it one, or DSL.inline a constant): " + rendered);
        }
        Matcher matcher = NAMED_PARAMETER.matcher(rendered);
        StringBuilder sql = new StringBuilder();
        List<Integer> indexes = new ArrayList<>();
        while (matcher.find()) {
            int index = names.indexOf(matcher.group(1));
            if (index < 0) {
                throw new IllegalArgumentException("parameter :" + matcher.group(1) + " is not among " + names);
            }
            indexes.add(index);
            matcher.appendReplacement(sql, "?");
        }
        matcher.appendTail(sql);
        if (!indexes.containsAll(IntStream.range(0, names.size()).boxed().toList())) {
            throw new IllegalArgumentException("not every one of " + names + " occurs in: " + sql);
        }
        return new HotQuery(sql.toString(), names.size(), indexes.stream().mapToInt(Integer::intValue).toArray(),
                names.isEmpty() ? null : shared(rendered, names));
    }

    /**
     * The shared form: one array per parameter, unnested with each call's position; for each call the query
     * runs as a LATERAL subquery over its values, and each row it returns is followed by that position.
     */
    private static String shared(String rendered, List<String> names) {
        String perCall = NAMED_PARAMETER.matcher(rendered).replaceAll(name -> Matcher.quoteReplacement("call.\"" + name.group(1) + "\""));
        String columns = names.stream().map(name -> "\"" + name + "\", ").collect(Collectors.joining());
        return "SELECT answer.*, call.\"#\" FROM unnest(" + "?, ".repeat(names.size() - 1) + "?) WITH ORDINALITY AS call(" + columns
                + "\"#\") CROSS JOIN LATERAL (" + perCall + ") AS answer";
    }

    /**
     * This query for many calls at once, on PostgreSQL: one array per parameter (in the order of the names
     * given to {@link #render}), whose elements are the calls' values; each row is followed by the position,
     * from 1, of the call it answers. See {@link SharedReads}. Null for a query without parameters.
     */
    String sharedSql() {
        return sharedSql;
    }

    /** How many values a call gives. */
    int valueCount() {
        return valueCount;
    }

    /** Refuses a call's values when there are not as many as the query has parameters. */
    void requireValues(Object[] values) {
        if (values.length != valueCount) {
            throw new IllegalArgumentException(values.length + " values for the " + valueCount + " parameters of " + sql);
        }
    }

    /**
     * Every row, read outside any transaction: on PostgreSQL in one statement with the same reads of other
     * calls waiting at that moment ({@link Database#readShared}).
     */
    <T> List<T> list(Database database, Row<T> row, Object... values) {
        return database.readShared(this, row, values);
    }

    /** The first row, if there is one, read as {@link #list(Database, Row, Object...)} reads. */
    <T> Optional<T> first(Database database, Row<T> row, Object... values) {
        return list(database, row, values).stream().findFirst();
    }

    /** Every row, read by {@code row}. */
    <T> List<T> list(DSLContext context, Row<T> row, Object... values) {
        return query(context, values, result -> {
            List<T> rows = new ArrayList<>();
            while (result.next()) {
                rows.add(row.read(result));
            }
            return rows;
        });
    }

    /** The first row, if there is one. */
    <T> Optional<T> first(DSLContext context, Row<T> row, Object... values) {
        return query(context, values, result -> result.next() ? Optional.of(row.read(result)) : Optional.empty());
    }

    /** Every row of a result jOOQ fetched, read by the same readers as the statements rendered once. */
    static <T> List<T> rows(org.jooq.Result<?> result, Row<T> row) {
        try (ResultSet rows = result.intoResultSet()) {
            List<T> read = new ArrayList<>();
            while (rows.next()) {
                read.add(row.read(rows));
            }
            return read;
        } catch (SQLException e) {
            throw new IllegalStateException("reading a fetched result failed", e);
        }
    }

    /** Runs an insert, update or delete; returns the number of rows it changed. */
    int execute(DSLContext context, Object... values) {
        return run(context, connection -> {
            try (PreparedStatement statement = prepare(connection, values)) {
                return statement.executeUpdate();
            }
        });
    }

    /**
     * Runs this insert, update or delete once for each of {@code calls} in one JDBC batch (on PostgreSQL one
     * round trip for all of them); returns how many rows each changed.
     */
    int[] executeBatch(DSLContext context, List<Object[]> calls) {
        return run(context, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (Object[] values : calls) {
                    bind(statement, values);
                    statement.addBatch();
                }
                return statement.executeBatch();
            }
        });
    }

    private <T> T query(DSLContext context, Object[] values, Row<T> wholeResult) {
        return run(context, connection -> {
            try (PreparedStatement statement = prepare(connection, values); ResultSet result = statement.executeQuery()) {
                return wholeResult.read(result);
            }
        });
    }

    /** Runs {@code work} on the context's connection; a broken constraint fails as it would from jOOQ. */
    private <T> T run(DSLContext context, ConnectionCallable<T> work) {
        return context.connectionResult(connection -> {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                if (DataAccessException.sqlStateClass(e) == SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION) {
                    throw new IntegrityConstraintViolationException("SQL [" + sql + "]; " + e.getMessage(), e);
                }
                throw e;
            }
        });
    }

    private PreparedStatement prepare(Connection connection, Object[] values) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            bind(statement, values);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private void bind(PreparedStatement statement, Object[] values) throws SQLException {
        requireValues(values);
        for (int i = 0; i < valueIndexes.length; i++) {
            statement.setObject(i + 1, values[valueIndexes[i]]);
        }
    }

    @Override
    public String toString() {
        return sql;
    }
}
