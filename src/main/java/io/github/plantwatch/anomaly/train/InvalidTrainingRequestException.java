package io.github.plantwatch.anomaly.train;

/** A training request the service refuses; the message names the problem and is safe to return to the client. */
public class InvalidTrainingRequestException extends RuntimeException {

    private final int status;

    public InvalidTrainingRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public InvalidTrainingRequestException(String message) {
        this(400, message);
    }

    public int status() {
        return status;
    }
}
