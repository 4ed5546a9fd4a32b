package io.github.plantwatch.anomaly.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows the GC log a JVM writes with {@link #jvmOption(Path)} and hands over each collection as it is logged:
 * when, which pause, and the heap in use after it. The used heap after a collection is what a leak makes grow;
 * the heap in use at any other moment mostly measures how much garbage waits for the next collection.
 */
final class GcLog implements AutoCloseable {

    /** One collection: its wall-clock time, "Young" or "Full", its cause, the heap used after it and the heap's size. */
    record Collection(long epochMillis, String pause, String cause, long usedAfterBytes, long heapBytes,
                      double pauseMillis) {
    }

    private static final long POLL_MILLIS = 500;
    // "[2026-12-02T16:30:01.123+0000] GC(12) Pause Young (Allocation Failure) 310M->52M(981M) 12.345ms"; the cause
    // may hold parentheses itself ("System.gc()")
    private static final Pattern PAUSE = Pattern.compile(
            "^\\[(\\S+)] GC\\(\\d+\\) Pause (Young|Full) \\((.+)\\) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([0-9.]+)ms$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final Path file;
    private final Consumer<Collection> listener;
    private final List<Collection> collections = new ArrayList<>();
    private final Thread follower;
    private final StringBuilder unfinishedLine = new StringBuilder();

    private GcLog(Path file, Consumer<Collection> listener) {
        this.file = file;
        this.listener = listener;
        this.follower = Thread.ofPlatform().daemon().name("gc-log").unstarted(this::follow);
    }

    /** The JVM option that makes a JVM log every collection, with wall-clock times, to {@code file}. */
    static String jvmOption(Path file) {
        return "-Xlog:gc:file=" + file + ":time";
    }

    /** Starts following {@code file} (which may not exist yet); {@code listener} sees each collection once. */
    static GcLog follow(Path file, Consumer<Collection> listener) {
        GcLog log = new GcLog(file, listener);
        log.follower.start();
        return log;
    }

    /** Every collection read so far, in order. */
    synchronized List<Collection> collections() {
        return List.copyOf(collections);
    }

    private void follow() {
        try {
            while (!Files.exists(file)) {
                Thread.sleep(POLL_MILLIS);
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[8192];
                while (!Thread.currentThread().isInterrupted()) {
                    int read = in.read(buffer);
                    if (read > 0) {
                        take(new String(buffer, 0, read, StandardCharsets.UTF_8));
                    } else {
                        Thread.sleep(POLL_MILLIS);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM may be caught in the middle of a line: only whole lines are parsed. */
    private void take(String text) {
        unfinishedLine.append(text);
        int end;
        while ((end = unfinishedLine.indexOf("\n")) >= 0) {
            String line = unfinishedLine.substring(0, end);
            unfinishedLine.delete(0, end + 1);
            Matcher pause = PAUSE.matcher(line.strip());
            if (pause.matches()) {
                Collection collection = new Collection(
                        OffsetDateTime.parse(pause.group(1), TIME).toInstant().toEpochMilli(), pause.group(2),
                        pause.group(3), bytes(pause.group(6), pause.group(7)), bytes(pause.group(8), pause.group(9)),
                        Double.parseDouble(pause.group(10)));
                synchronized (this) {
                    collections.add(collection);
                }
                listener.accept(collection);
            }
        }
    }

    private static long bytes(String amount, String unit) {
        int shift = switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
        return Long.parseLong(amount) << shift;
    }

    @Override
    public void close() throws InterruptedException {
        follower.interrupt();
        follower.join();
    }
}
