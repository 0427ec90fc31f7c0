package dev.tally.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** The log's format, chosen by flag or {@code TALLY_LOG_FORMAT} after the command line is read. */
final class Logging {

    private Logging() {
    }

    /** Stops logging, so that the access log writes what its ring buffer still holds before the process exits. */
    static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    /** Reloads the bundled configuration with {@code format} (text or json); an operator's own logback.xml is left alone. */
    static void format(String format) {
        String chosen = format.trim().toLowerCase(Locale.ROOT);
        if (!chosen.equals("text") && !chosen.equals("json")) {
            throw new IllegalArgumentException("invalid --log-format '" + format + "': expected text or json");
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context) || System.getProperty("logback.configurationFile") != null) {
            return;
        }
        URL bundled = Logging.class.getResource("/logback.xml");
        String current = context.getProperty("TALLY_LOG_FORMAT") != null ? context.getProperty("TALLY_LOG_FORMAT")
                : java.util.Objects.requireNonNullElse(System.getenv("TALLY_LOG_FORMAT"), "text").trim().toLowerCase(Locale.ROOT);
        if (bundled == null || chosen.equals(current)) {
            return;
        }
        context.reset();
        context.putProperty("TALLY_LOG_FORMAT", chosen);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(bundled);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging: " + e.getMessage(), e);
        }
    }
}
