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
 * (the JVM ignores them by default), so this calls libc's {@code setpriority} on the thread's id: on Linux the nice
 * value belongs to the thread, not the process. A thread may always lower its own priority; on another system, or
 * without libc's {@code gettid}, nothing changes.
 */
final class ThreadPriority {

    private static final int PRIO_PROCESS = 0;

    private ThreadPriority() {
    }

    /** Sets the calling thread's nice value (0 normal, 19 lowest); whether it took effect. */
    static boolean lowerCurrentThread(int nice) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            Optional<MemorySegment> gettid = libc.find("gettid");
            Optional<MemorySegment> setpriority = libc.find("setpriority");
            if (gettid.isEmpty() || setpriority.isEmpty()) {
                return false;
            }
            MethodHandle threadId = linker.downcallHandle(gettid.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT));
            MethodHandle setPriority = linker.downcallHandle(setpriority.get(), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int tid = (int) threadId.invokeExact();
            return (int) setPriority.invokeExact(PRIO_PROCESS, tid, nice) == 0;
        } catch (Throwable e) { // no native access, or an odd libc: the thread keeps its priority
            return false;
        }
    }
}
