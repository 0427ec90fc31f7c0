package dev.tally.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this server should be sent calls: yes while its store answers and it is not shutting down.
 * Load balancers and Kubernetes read it at {@code /readyz}; gRPC clients through health.
 */
final class Readiness {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    private volatile boolean storeUp = true;
    private volatile boolean draining;

    boolean ready() {
        return storeUp && !draining;
    }

    boolean storeUp() {
        return storeUp;
    }

    /** Records what the latest probe found; logs only the changes. Returns whether it changed. */
    boolean storeUp(boolean up) {
        if (up == storeUp) {
            return false;
        }
        storeUp = up;
        if (up) {
            log.info("The store answers again: ready (health SERVING)");
        } else {
            log.warn("The store does not answer: not ready (health NOT_SERVING) until it does");
        }
        return true;
    }

    void draining() {
        draining = true;
    }
}
