package io.github.plantwatch.anomaly.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadCpuTest {

    @Test
    void tellsTheJitAndTheCollectorFromTheRestByHotSpotsThreadNames() {
        assertEquals(ThreadCpu.Kind.JIT, ThreadCpu.Kind.of("C2 CompilerThre"));
        assertEquals(ThreadCpu.Kind.JIT, ThreadCpu.Kind.of("C1 CompilerThre"));
        assertEquals(ThreadCpu.Kind.COLLECTOR, ThreadCpu.Kind.of("GC Thread#1"));
        assertEquals(ThreadCpu.Kind.OTHER, ThreadCpu.Kind.of("Camel (camel-1)"));
    }

    @Test
    void readsThisJvmsCompilersAndCollector() throws Exception {
        long pid = ProcessHandle.current().pid();
        if (!Files.isDirectory(Path.of("/proc", String.valueOf(pid), "task"))) { // not Linux
            assertThrows(IOException.class, () -> new ThreadCpu(pid).seconds());
            return;
        }
        ThreadCpu threads = new ThreadCpu(pid);
        Map<ThreadCpu.Kind, Double> before = threads.seconds();
        // a test JVM has compiled its test framework long before this: the compilers have used CPU
        assertTrue(before.get(ThreadCpu.Kind.JIT) > 0, before.toString());
        System.gc();
        Map<ThreadCpu.Kind, Double> after = threads.seconds();
        assertTrue(after.get(ThreadCpu.Kind.JIT) >= before.get(ThreadCpu.Kind.JIT), after.toString());
        assertTrue(after.get(ThreadCpu.Kind.COLLECTOR) >= before.get(ThreadCpu.Kind.COLLECTOR), after.toString());
    }
}
