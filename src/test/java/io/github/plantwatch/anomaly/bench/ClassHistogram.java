package io.github.plantwatch.anomaly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The live objects of another JVM by class ({@code jcmd <pid> GC.class_histogram}, which runs a full collection
 * first): two of them, taken apart in time, say what a growing heap is made of.
 */
final class ClassHistogram {

    /** How many objects of one class, and their bytes. */
    record Entry(long instances, long bytes) {
    }

    // "   1:        123456      12345678  [B (java.base@25.0.3)"
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+)$");

    private final long epochMillis;
    private final Map<String, Entry> byClass;

    private ClassHistogram(long epochMillis, Map<String, Entry> byClass) {
        this.epochMillis = epochMillis;
        this.byClass = byClass;
    }

    /** Takes one (a full collection and a heap walk: a pause of the JVM) and keeps jcmd's text in {@code file}. */
    static ClassHistogram take(long pid, Path file) throws IOException, InterruptedException {
        long now = System.currentTimeMillis();
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), "GC.class_histogram").redirectErrorStream(true)
                .redirectOutput(file.toFile()).start();
        if (!jcmd.waitFor(2, TimeUnit.MINUTES) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd GC.class_histogram failed or hung; see " + file);
        }
        Map<String, Entry> byClass = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                byClass.merge(row.group(3), new Entry(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                        (a, b) -> new Entry(a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        return new ClassHistogram(now, byClass);
    }

    long epochMillis() {
        return epochMillis;
    }

    long totalBytes() {
        return byClass.values().stream().mapToLong(Entry::bytes).sum();
    }

    /** The {@code top} classes whose live bytes grew most from {@code before} to this one, a line each. */
    String growthSince(ClassHistogram before, int top) {
        return byClass.entrySet().stream()
                .map(entry -> {
                    Entry was = before.byClass.getOrDefault(entry.getKey(), new Entry(0, 0));
                    return Map.entry(entry.getKey(), new Entry(entry.getValue().instances() - was.instances(),
                            entry.getValue().bytes() - was.bytes()));
                })
                .sorted(Comparator.comparingLong((Map.Entry<String, Entry> entry) -> entry.getValue().bytes())
                        .reversed())
                .limit(top)
                .map(entry -> String.format(Locale.ROOT, "  %+8.1f MiB %+,11d objects  %s",
                        entry.getValue().bytes() / 1048576.0, entry.getValue().instances(), entry.getKey()))
                .collect(Collectors.joining("\n"));
    }
}
