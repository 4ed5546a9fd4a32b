package io.github.plantwatch.anomaly.train;

import io.github.plantwatch.anomaly.support.ProcStat;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ThreadPriorityTest {

    private static final Path THREAD_STAT = Path.of("/proc/thread-self/stat");

    @Test
    void lowersTheCallingThreadOnlyAsTheKernelSeesIt() throws Exception {
        if (!Files.exists(THREAD_STAT)) { // not Linux: the call says it changed nothing
            assertFalse(ThreadPriority.lowerCurrentThread(BackgroundRetrainer.NICE_INCREMENT));
            return;
        }
        AtomicReference<int[]> seen = new AtomicReference<>();
        Thread lowered = Thread.ofPlatform().start(() -> {
            int before = kernelNice();
            boolean done = ThreadPriority.lowerCurrentThread(BackgroundRetrainer.NICE_INCREMENT);
            seen.set(new int[]{before, done ? 1 : 0, kernelNice()});
        });
        lowered.join();
        int before = seen.get()[0];
        assertEquals(1, seen.get()[1], "setpriority succeeded");
        assertEquals(Math.min(19, before + BackgroundRetrainer.NICE_INCREMENT), seen.get()[2],
                "the thread's nice value rose by the increment from its own");
        assertEquals(before, kernelNice(), "the other threads keep theirs");
    }

    /** The calling thread's nice value, as the kernel has it. */
    private static int kernelNice() {
        try {
            return ProcStat.nice(Files.readString(THREAD_STAT));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
