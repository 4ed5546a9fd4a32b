package io.github.plantwatch.anomaly.train;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadPriorityTest {

    @Test
    void lowersTheCallingThreadOnlyAsTheKernelSeesIt() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux only");
        AtomicReference<int[]> seen = new AtomicReference<>();
        Thread lowered = Thread.ofPlatform().start(() -> {
            int before = kernelNice();
            boolean done = ThreadPriority.lowerCurrentThread(BackgroundRetrainer.NICE);
            seen.set(new int[]{before, done ? 1 : 0, kernelNice()});
        });
        lowered.join();
        assertEquals(1, seen.get()[1], "setpriority succeeded");
        assertEquals(BackgroundRetrainer.NICE, seen.get()[2] - seen.get()[0], "the thread's nice value rose");
        assertEquals(seen.get()[0], kernelNice(), "the other threads keep theirs");
    }

    /** Field 19 of /proc/thread-self/stat: the calling thread's nice value. */
    private static int kernelNice() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertTrue(fields.length > 17, stat);
            return Integer.parseInt(fields[16]); // fields from the state (3rd), so nice (19th) is at 16
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
