package io.github.plantwatch.anomaly.contract;

/**
 * Why an input record went to the dead-letter topic; {@link #code()} is the {@code x-error-type} header.
 */
public enum RejectionReason {
    /** Not parseable as a JSON object. Logged at ERROR, as the seed says. */
    INVALID_JSON,
    /** {@code asset_id} or {@code features} absent or empty. Logged at WARN, as the seed says. */
    MISSING_FIELD,
    /** A field of the wrong type, or a feature value that is not a finite number. */
    INVALID_FIELD,
    /** The feature names differ from the ones the models were trained on. */
    FEATURE_MISMATCH,
    /**
     * Key, value and headers together exceed {@code KAFKA_MAX_RECORD_BYTES}: rejected unread, and its dead letter
     * carries only the first bytes of key and value (the whole record stays on the input topic at its offset).
     */
    TOO_LARGE,
    /** No model set serves the asset: no global set, none of its own or of its group. */
    NO_MODEL,
    /**
     * A valid record whose scoring, explanation or serialisation threw (or would have put a non-finite number in
     * its result): set aside alone, its stream left as it was before it, the rest of its batch goes on. The reason
     * names the exception's class and its message, cut short. Logged at ERROR.
     */
    SCORING_ERROR;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
