package io.github.plantwatch.anomaly.stream;

import io.github.plantwatch.anomaly.contract.Rejection;
import io.github.plantwatch.anomaly.contract.RejectionReason;

/** Signals one bad input record; carries no stack trace since it is expected input, not a fault. */
final class RecordRejectedException extends Exception {

    private final transient Rejection rejection;

    RecordRejectedException(RejectionReason reason, String message) {
        super(message, null, false, false);
        this.rejection = new Rejection(reason, message);
    }

    Rejection rejection() {
        return rejection;
    }
}
