package dev.tally.domain.access;

/** An access key just created, with its secret: the only time the secret is returned. */
public record NewAccessKey(AccessKey key, String secret) {

    @Override
    public String toString() {
        return "NewAccessKey[key=" + key + ", secret=<hidden>]";
    }
}
