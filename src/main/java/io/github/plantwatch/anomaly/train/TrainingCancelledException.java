package io.github.plantwatch.anomaly.train;

/** A training stopped because the service is stopping (its thread was interrupted); nothing of it is installed. */
public final class TrainingCancelledException extends RuntimeException {

    public TrainingCancelledException() {
        super("training cancelled: the service is stopping");
    }
}
