package dev.tally.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.tally.domain.common.CallObserver;
import dev.tally.domain.common.Caller;
import dev.tally.telemetry.Metrics;
import dev.tally.telemetry.ObservedCalls;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * What the server adds to every call to observe it, measured in this process on the same code: the
 * metrics alone (counter, histogram, in-flight gauge), then with the access-log line written to a file in
 * each log format. CPU time of the measuring thread per call, after a warm-up, so the JIT has compiled it.
 */
final class TelemetryCost {

    private static final int WARMUP = 300_000;
    private static final int CALLS = 1_000_000;
    /** The server's access-log pattern (its logback.xml, appender text-access). */
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{30} - %msg %kvp{NONE}%n";

    private TelemetryCost() {
    }

    static void print(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("tally-telemetry-cost");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger access = context.getLogger(ObservedCalls.ACCESS_LOGGER);
        access.setAdditive(false);
        access.setLevel(Level.INFO);
        double metrics = perCall(new ObservedCalls(new Metrics().registry(), false));

        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setPattern(PATTERN);
        double withText = withAppender(context, access, text, dir.resolve("text.log"));
        LogstashEncoder json = new LogstashEncoder();
        json.setIncludeContext(false);
        double withJson = withAppender(context, access, json, dir.resolve("json.log"));

        out.printf(Locale.ROOT, "%nObserving a call (in process, CPU µs per call): metrics %.2f; with the access log, text %.2f, json %.2f."
                + " --access-log off saves the log's share.%n", metrics, withText, withJson);
    }

    private static double withAppender(LoggerContext context, Logger access, Encoder<ILoggingEvent> encoder, Path file) throws Exception {
        encoder.setContext(context);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        access.addAppender(appender);
        try {
            return perCall(new ObservedCalls(new Metrics().registry(), true));
        } finally {
            access.detachAppender(appender);
            appender.stop();
            Files.deleteIfExists(file);
        }
    }

    private static double perCall(ObservedCalls observer) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CallObserver.Call call = new CallObserver.Call(CallObserver.Door.GRPC, "tally.v1.UsagePlanService/ConsumeQuota",
                Optional.of(new Caller.Developer("bootstrap0000000")), "OK", 183_000, 50, 12);
        for (int i = 0; i < WARMUP; i++) {
            observer.started(CallObserver.Door.GRPC);
            observer.finished(call);
        }
        long begin = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < CALLS; i++) {
            observer.started(CallObserver.Door.GRPC);
            observer.finished(call);
        }
        return (threads.getCurrentThreadCpuTime() - begin) / 1000.0 / CALLS;
    }
}
