package io.github.plantwatch.anomaly.contract;

/**
 * The part of a client's text an error message may quote: short, and with control characters replaced, so a reason
 * header, a log line or an HTTP error never carries a whole payload or a forged line break.
 */
public final class Excerpt {

    /** Longest quoted text: enough to recognise a feature or field name. */
    public static final int MAX_QUOTED = 64;

    private Excerpt() {
    }

    public static String of(String text) {
        return of(text, MAX_QUOTED);
    }

    public static String of(String text, int maxLength) {
        String cut = text.length() <= maxLength ? text
                : text.substring(0, maxLength) + "...(" + text.length() + " characters)";
        StringBuilder safe = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return safe.toString();
    }
}
