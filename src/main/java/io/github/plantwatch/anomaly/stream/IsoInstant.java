package io.github.plantwatch.anomaly.stream;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Epoch milliseconds of an ISO-8601 instant, as {@link Instant#parse} reads it, without its cost on the common
 * form. Every record's timestamp goes into its stream's retraining history, and {@code Instant.parse} (a general
 * formatter: a parse context, a map of fields, a resolver) was 5 % of a consumer thread's time in the benchmark's
 * profile. {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM|-HH:MM)} is read here by position; anything else goes to
 * {@code Instant.parse}, so both give the same instant or both refuse.
 */
final class IsoInstant {

    private static final int SHORTEST = "2026-01-01T00:00:00Z".length();
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private IsoInstant() {
    }

    /** @throws DateTimeException when the text is not an ISO-8601 instant */
    static long epochMillis(String text) {
        if (text.length() < SHORTEST || text.length() > 35 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return Instant.parse(text).toEpochMilli();
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int end = 19;
        int millis = 0;
        if (text.charAt(end) == '.') {
            int fractionDigits = 0;
            end++;
            while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
                if (fractionDigits < 3) {
                    millis = millis * 10 + (text.charAt(end) - '0');
                }
                fractionDigits++;
                end++;
            }
            if (fractionDigits == 0 || fractionDigits > 9) {
                return Instant.parse(text).toEpochMilli();
            }
            for (int i = fractionDigits; i < 3; i++) {
                millis *= 10;
            }
        }
        int offsetSeconds = offsetSeconds(text, end);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59 || offsetSeconds == Integer.MIN_VALUE) {
            return Instant.parse(text).toEpochMilli(); // a leap second, a malformed field: the general parser decides
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return Instant.parse(text).toEpochMilli();
        }
        long seconds = hour * 3_600L + minute * 60L + second - offsetSeconds;
        return epochDay * MILLIS_PER_DAY + seconds * 1_000L + millis;
    }

    /** The zone offset that ends the text at {@code at}, in seconds; {@link Integer#MIN_VALUE}: another form. */
    private static int offsetSeconds(String text, int at) {
        int left = text.length() - at;
        if (left == 1 && text.charAt(at) == 'Z') {
            return 0;
        }
        if (left != 6 || (text.charAt(at) != '+' && text.charAt(at) != '-') || text.charAt(at + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        int hours = digits(text, at + 1, 2);
        int minutes = digits(text, at + 4, 2);
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
            return Integer.MIN_VALUE;
        }
        int seconds = hours * 3_600 + minutes * 60;
        return text.charAt(at) == '-' ? -seconds : seconds;
    }

    /** The ASCII digits at [from, from + count) as a number; -1 when one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
