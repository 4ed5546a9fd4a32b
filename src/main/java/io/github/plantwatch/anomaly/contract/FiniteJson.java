package io.github.plantwatch.anomaly.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON the service publishes, with no NaN or Infinity in it: Jackson would write them as the strings "NaN" and
 * "Infinity", which no consumer reads as a number. A non-finite number anywhere (a score, a feature, a number in a
 * record's metadata such as {@code 1e400}, which parses as Infinity) makes the writing throw
 * {@link NonFiniteNumberException}: the record is dead-lettered as a {@code scoring_error} instead.
 */
public final class FiniteJson {

    private FiniteJson() {
    }

    /** Thrown when a non-finite number would be written. */
    public static final class NonFiniteNumberException extends IllegalArgumentException {
        NonFiniteNumberException(double value, JsonGenerator json) {
            super("non-finite number " + value + " at " + json.getOutputContext().pathAsPointer()
                    + ": NaN and Infinity are never published");
        }
    }

    /** A generator that writes through {@code json} and throws on a non-finite double or float. */
    public static JsonGenerator strict(JsonGenerator json) {
        return new JsonGeneratorDelegate(json, false) {
            @Override
            public void writeNumber(double value) throws IOException {
                if (!Double.isFinite(value)) {
                    throw new NonFiniteNumberException(value, this);
                }
                super.writeNumber(value);
            }

            @Override
            public void writeNumber(float value) throws IOException {
                if (!Float.isFinite(value)) {
                    throw new NonFiniteNumberException(value, this);
                }
                super.writeNumber(value);
            }
        };
    }

    /** A value as the data binder writes it ({@link JsonCodec#mapper()}), refusing non-finite numbers. */
    public static byte[] write(Object value) {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator json = strict(JsonCodec.mapper().getFactory().createGenerator(out))) {
            JsonCodec.mapper().writeValue(json, value);
        } catch (IOException e) {
            throw failure(e);
        }
        return out.toByteArray();
    }

    /**
     * What a failed write to memory throws: the {@link NonFiniteNumberException} it comes from (the data binder
     * wraps what a generator throws), else an {@link UncheckedIOException}.
     */
    static RuntimeException failure(IOException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof NonFiniteNumberException nonFinite) {
                return nonFinite;
            }
        }
        return new UncheckedIOException("writing to memory failed: " + error.getMessage(), error);
    }
}
