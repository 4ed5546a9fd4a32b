package io.github.plantwatch.anomaly.contract;

/**
 * Why one input record cannot be scored: a machine-readable reason and a message naming the problem. The message is
 * the {@code x-error-reason} header and a log line, so it is cut to {@value #MAX_MESSAGE} characters whatever built
 * it.
 */
public record Rejection(RejectionReason reason, String message) {

    public static final int MAX_MESSAGE = 300;

    public Rejection {
        message = Excerpt.of(message, MAX_MESSAGE);
    }

    /** A {@link RejectionReason#SCORING_ERROR}: the exception's class and message (cut short like every message). */
    public static Rejection scoringError(Throwable error) {
        String detail = error.getMessage();
        return new Rejection(RejectionReason.SCORING_ERROR, error.getClass().getName()
                + (detail == null ? "" : ": " + detail));
    }
}
