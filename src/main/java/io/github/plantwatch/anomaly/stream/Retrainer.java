package io.github.plantwatch.anomaly.stream;

/**
 * Takes the retraining jobs streams propose. The service's runs them in the background and puts a promoted set in
 * service; the evaluate command's runs them at once, so that its figures do not depend on timing.
 */
@FunctionalInterface
public interface Retrainer {

    Retrainer NONE = job -> { };

    /** Must not block scoring for long: the scorer calls it on a consumer thread. */
    void submit(RetrainingJob job);
}
