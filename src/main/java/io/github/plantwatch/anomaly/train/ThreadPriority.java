package io.github.plantwatch.anomaly.train;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * Lowers the calling thread's scheduling priority (its Linux nice value), so that the work on it takes the CPU time
 * the other threads leave and little more when they want it all. Java's own thread priorities do nothing on Linux
 * (the JVM ignores them by default), so this calls libc's {@code getpriority} and {@code setpriority} on the
 * thread's id: on Linux the nice value belongs to the thread, not the process. Relative to the thread's own value,
 * so a service started under {@code nice} keeps its retraining below itself. A thread may always lower its own
 * priority; on another system, or without libc's {@code gettid}, nothing changes.
 */
final class ThreadPriority {

    private static final int PRIO_PROCESS = 0;
    private static final int LOWEST = 19;

    private ThreadPriority() {
    }

    /** Raises the calling thread's nice value by {@code increment} (at most to 19); whether it took effect. */
    static boolean lowerCurrentThread(int increment) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Optional<MemorySegment> gettid = libc.find("gettid");
            Optional<MemorySegment> getpriority = libc.find("getpriority");
            Optional<MemorySegment> setpriority = libc.find("setpriority");
            if (gettid.isEmpty() || getpriority.isEmpty() || setpriority.isEmpty()) {
                return false;
            }
            MethodHandle threadId = linker.downcallHandle(gettid.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT));
            MethodHandle getPriority = linker.downcallHandle(getpriority.get(), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle setPriority = linker.downcallHandle(setpriority.get(), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int tid = (int) threadId.invokeExact();
            // glibc's getpriority returns the nice value itself (-20..19); for the caller's own id it cannot fail
            int current = (int) getPriority.invokeExact(PRIO_PROCESS, tid);
            return (int) setPriority.invokeExact(PRIO_PROCESS, tid, Math.min(LOWEST, current + increment)) == 0;
        } catch (Throwable e) { // no native access, or an odd libc: the thread keeps its priority
            return false;
        }
    }
}
