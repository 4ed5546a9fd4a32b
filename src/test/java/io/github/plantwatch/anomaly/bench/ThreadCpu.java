package io.github.plantwatch.anomaly.bench;

import io.github.plantwatch.anomaly.support.ProcStat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time a JVM's compiler threads and its collector's threads have used so far (Linux: {@code /proc/<pid>/task}),
 * so the benchmark can say how much of the service's CPU is the JIT's and the collector's rather than the service's
 * own work. A thread that has ended keeps the time it was last seen with (on larger machines the JVM stops compiler
 * threads it no longer needs).
 */
final class ThreadCpu {

    /** What a JVM thread works for, by the name HotSpot gives it (cut to 15 characters, as {@code comm} shows it). */
    enum Kind {
        JIT, COLLECTOR, OTHER;

        static Kind of(String threadName) {
            if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")) {
                return JIT;
            }
            return threadName.startsWith("GC Thread") ? COLLECTOR : OTHER;
        }
    }

    private final Path tasks;
    private final Map<String, Kind> kindOfThread = new HashMap<>();
    private final Map<String, Double> lastSeconds = new HashMap<>();

    ThreadCpu(long pid) {
        this.tasks = Path.of("/proc", String.valueOf(pid), "task");
    }

    /** The CPU seconds the JIT's and the collector's threads have used so far, ended threads included. */
    Map<Kind, Double> seconds() throws IOException {
        try (Stream<Path> live = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) live::iterator) {
                String thread = task.getFileName().toString();
                try {
                    Kind kind = kindOfThread.get(thread);
                    if (kind == null) {
                        kind = Kind.of(Files.readString(task.resolve("comm")).strip());
                        kindOfThread.put(thread, kind);
                    }
                    if (kind != Kind.OTHER) {
                        lastSeconds.put(thread, ProcStat.cpuSeconds(Files.readString(task.resolve("stat"))));
                    }
                } catch (NoSuchFileException ended) {
                    // the thread ended between the listing and the read: its last reading stands
                }
            }
        }
        Map<Kind, Double> seconds = new EnumMap<>(Map.of(Kind.JIT, 0.0, Kind.COLLECTOR, 0.0));
        lastSeconds.forEach((thread, used) -> seconds.merge(kindOfThread.get(thread), used, Double::sum));
        return seconds;
    }
}
