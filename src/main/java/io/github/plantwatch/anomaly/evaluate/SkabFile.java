package io.github.plantwatch.anomaly.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One SKAB file: {@code ;}-separated, header {@code datetime;<features...>;anomaly;changepoint}, rows in time
 * order. A file without the two label columns (anomaly-free.csv) is a long normal run: every row normal, no
 * changepoint; it is not one of the benchmark's experiments.
 *
 * @param seconds     each row's time, seconds since the epoch (SKAB's datetimes are local, read as UTC)
 * @param anomaly     1 inside the labelled anomaly
 * @param changepoint 1 at a labelled changepoint
 * @param labelled    whether the file had labels (an experiment) or is a normal run
 */
public record SkabFile(String name, List<String> featureNames, long[] seconds, double[][] rows, int[] anomaly,
                       int[] changepoint, boolean labelled) {

    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** Every SKAB file under {@code folder} (subfolders included), labelled or not, by path. */
    public static List<SkabFile> findAll(Path folder) throws IOException {
        List<SkabFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                read(path, folder.relativize(path).toString()).ifPresent(files::add);
            }
        }
        return files;
    }

    /** The file, or empty when it is not a SKAB file (no {@code datetime} first column). */
    public static Optional<SkabFile> read(Path path, String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        List<String> header = List.of(lines.getFirst().strip().split(";"));
        int anomalyColumn = header.indexOf("anomaly");
        int changepointColumn = header.indexOf("changepoint");
        if (!header.getFirst().equals("datetime") || (anomalyColumn < 0) != (changepointColumn < 0)) {
            return Optional.empty();
        }
        boolean labelled = anomalyColumn >= 0;
        List<Integer> featureColumns = new ArrayList<>();
        for (int c = 1; c < header.size(); c++) {
            if (c != anomalyColumn && c != changepointColumn) {
                featureColumns.add(c);
            }
        }
        List<String> data = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        long[] seconds = new long[data.size()];
        double[][] rows = new double[data.size()][featureColumns.size()];
        int[] anomaly = new int[data.size()];
        int[] changepoint = new int[data.size()];
        for (int i = 0; i < data.size(); i++) {
            String[] cells = data.get(i).strip().split(";");
            if (cells.length != header.size()) {
                throw new IllegalArgumentException(name + " line " + (i + 2) + ": " + cells.length
                        + " values, header has " + header.size());
            }
            seconds[i] = LocalDateTime.parse(cells[0], DATETIME).toEpochSecond(ZoneOffset.UTC);
            for (int j = 0; j < featureColumns.size(); j++) {
                rows[i][j] = Double.parseDouble(cells[featureColumns.get(j)]);
            }
            if (labelled) {
                anomaly[i] = (int) Double.parseDouble(cells[anomalyColumn]);
                changepoint[i] = (int) Double.parseDouble(cells[changepointColumn]);
            }
        }
        List<String> names = featureColumns.stream().map(header::get).toList();
        return Optional.of(new SkabFile(name, names, seconds, rows, anomaly, changepoint, labelled));
    }

    public int size() {
        return rows.length;
    }

    public SkabFile from(int first) {
        return new SkabFile(name, featureNames, Arrays.copyOfRange(seconds, first, size()),
                Arrays.copyOfRange(rows, first, size()), Arrays.copyOfRange(anomaly, first, size()),
                Arrays.copyOfRange(changepoint, first, size()), labelled);
    }
}
