package io.github.plantwatch.anomaly.routes;

import java.nio.file.Path;

/** One finding in a route file, printed the way compilers do: {@code file:line: problem}. */
record RouteProblem(Path file, int line, String problem) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + problem;
    }
}
