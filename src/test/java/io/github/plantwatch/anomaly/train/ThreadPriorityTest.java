package io.github.plantwatch.anomaly.train;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Field 19 of /proc/thread-self/stat: the calling thread's nice value. */
    private static int kernelNice() {
        try {
            String stat = Files.readString(THREAD_STAT);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertTrue(fields.length > 17, stat);
            return Integer.parseInt(fields[16]); // fields from the state (3rd), so nice (19th) is at 16
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
