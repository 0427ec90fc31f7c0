package dev.tally.persistence;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jooq.tools.jdbc.DefaultConnection;
import org.jooq.tools.jdbc.DefaultPreparedStatement;

/**
 * SQLite connections that keep their prepared statements. sqlite-jdbc compiles the SQL on every
 * {@code prepareStatement}, and for Tally's point reads compiling cost more than running. Here each
 * connection compiles a given SQL text once and hands the same statement out again after it was closed;
 * closing one only closes its result set (which resets it, ending its read snapshot) and clears its
 * parameters. A connection is used by one thread at a time (the pool sees to that), so the cache needs no
 * locking.
 */
final class StatementCachingDataSource implements DataSource {

    /** Distinct SQL texts kept per connection; jOOQ renders IN lists of different lengths as different texts. */
    static final int STATEMENTS_PER_CONNECTION = 256;

    private final DataSource delegate;

    StatementCachingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return new CachingConnection(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return new CachingConnection(delegate.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }

    private static final class CachingConnection extends DefaultConnection {

        /** In access order, so the least recently used statement is the first. */
        private final Map<String, CachedStatement> statements = new LinkedHashMap<>(64, 0.75f, true);

        CachingConnection(Connection delegate) {
            super(delegate);
        }

        @Override
        public PreparedStatement prepareStatement(String sql) throws SQLException {
            CachedStatement cached = statements.get(sql);
            if (cached == null) {
                cached = new CachedStatement(getDelegate().prepareStatement(sql), this);
                statements.put(sql, cached);
                if (statements.size() > STATEMENTS_PER_CONNECTION) {
                    Iterator<CachedStatement> leastRecentlyUsed = statements.values().iterator();
                    CachedStatement evicted = leastRecentlyUsed.next();
                    leastRecentlyUsed.remove();
                    evicted.evict();
                }
            } else if (cached.inUse) {
                // The same SQL open twice at once (a query inside another's iteration): an uncached copy.
                return getDelegate().prepareStatement(sql);
            }
            cached.inUse = true;
            return cached;
        }

        @Override
        public void close() throws SQLException {
            List<CachedStatement> cached = new ArrayList<>(statements.values());
            statements.clear();
            try {
                for (CachedStatement statement : cached) {
                    statement.evict();
                }
            } finally {
                super.close();
            }
        }
    }

    private static final class CachedStatement extends DefaultPreparedStatement {

        private boolean inUse;
        private boolean evicted;

        CachedStatement(PreparedStatement delegate, Connection connection) {
            super(delegate, connection);
        }

        /** Back to the cache: closes the current result set, which resets the statement, and forgets the parameters. */
        @Override
        public void close() throws SQLException {
            if (!inUse) {
                return;
            }
            inUse = false;
            if (evicted) {
                getDelegate().close();
                return;
            }
            getDelegate().getMoreResults();
            getDelegate().clearParameters();
        }

        @Override
        public boolean isClosed() throws SQLException {
            return !inUse || getDelegate().isClosed();
        }

        /** Dropped from the cache: closed now, or when its current user closes it. */
        void evict() throws SQLException {
            evicted = true;
            if (!inUse) {
                getDelegate().close();
            }
        }
    }
}
