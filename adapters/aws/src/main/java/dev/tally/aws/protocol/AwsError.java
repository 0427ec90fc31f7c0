package dev.tally.aws.protocol;

/**
 * A refusal the AWS door makes itself, before or beside the domain: an HTTP status, the AWS error name the
 * SDKs turn into an exception class, and a message that is safe to show.
 */
public final class AwsError extends RuntimeException {

    private final int status;
    private final String name;

    public AwsError(int status, String name, String message) {
        super(message, null, false, false);
        this.status = status;
        this.name = name;
    }

    public int status() {
        return status;
    }

    public String name() {
        return name;
    }
}
