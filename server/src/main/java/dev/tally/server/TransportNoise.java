package dev.tally.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.tally.domain.common.IntervalCounter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * grpc-java logs every connection that fails before it speaks gRPC (an HTTP/1 request, a port scanner,
 * TLS junk) at INFO with a stack trace: anyone could grow the log by kilobytes per connection. This filter
 * swallows those and writes one line a minute instead, with how many there were and the latest reason.
 * Below INFO (an operator asked for DEBUG) they pass as they are.
 */
public final class TransportNoise extends TurboFilter {

    static final String CONNECTIONS = "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections";
    private static final org.slf4j.Logger summary = LoggerFactory.getLogger(GrpcConnections.class);

    /** The logger the summary line is written to. */
    private static final class GrpcConnections {
    }

    private final IntervalCounter failed = new IntervalCounter(Duration.ofMinutes(1));
    private final AtomicReference<String> latest = new AtomicReference<>("");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable failure) {
        // Only events (a level check has no format), only up to INFO, and only when the operator has not asked for more.
        if (format == null || !CONNECTIONS.equals(logger.getName()) || level.toInt() > Level.INFO_INT || logger.getLoggerContext()
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getEffectiveLevel().toInt() < Level.INFO_INT) {
            return FilterReply.NEUTRAL;
        }
        if (logger.getEffectiveLevel().toInt() > Level.INFO_INT) {
            return FilterReply.DENY;
        }
        if (failure != null) {
            latest.set(failure.getClass().getSimpleName() + ": " + String.valueOf(failure.getMessage()).lines().findFirst().orElse("").strip());
        }
        long count = failed.countAndReport();
        if (count > 0) {
            summary.info("{} connection failure(s) before gRPC was spoken, in the last minute; the latest: {}", count, latest.get());
        }
        return FilterReply.DENY;
    }
}
