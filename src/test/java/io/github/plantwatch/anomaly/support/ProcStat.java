package io.github.plantwatch.anomaly.support;

/**
 * Fields of a Linux {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} line (proc(5)). The fields are
 * read after the command name, which is in parentheses and may itself hold blanks and parentheses.
 */
public final class ProcStat {

    private ProcStat() {
    }

    /** utime + stime (fields 14 and 15), in seconds (clock ticks of 1/100 s). */
    public static double cpuSeconds(String stat) {
        String[] fields = fieldsFromState(stat);
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** The nice value (field 19). */
    public static int nice(String stat) {
        return Integer.parseInt(fieldsFromState(stat)[16]);
    }

    /** The fields from the state (field 3) on: field n is at index n - 3. */
    private static String[] fieldsFromState(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (fields.length <= 17) { // fields 3 to 20 at least (the nice value is field 19)
            throw new IllegalArgumentException("not a stat line of proc(5): " + stat);
        }
        return fields;
    }
}
