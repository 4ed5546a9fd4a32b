package io.github.plantwatch.anomaly.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Options of the {@code simulate} command, e.g.
 * {@code simulate --bootstrap-servers localhost:9092 --rate 20 --assets 6 --faults bearing,imbalance,sensor}.
 */
public record SimulatorOptions(String bootstrapServers, String topic, double rate, int assets, List<Fault> faults,
                               double faultsPerMinute, int healthySeconds, long durationSeconds, long seed) {

    public static final String USAGE = """
            simulate [--bootstrap-servers HOST:PORT] [--topic extracted-features] [--rate MSG_PER_S] [--assets N]
                     [--faults bearing,imbalance,sensor|none] [--faults-per-minute PER_ASSET] [--healthy-seconds S]
                     [--duration-seconds S (0: until Ctrl+C)] [--seed N]""";

    public static SimulatorOptions defaults(String bootstrapServers, String topic) {
        return new SimulatorOptions(bootstrapServers, topic, 20, 6, List.of(Fault.values()), 0.5, 30, 0, 42);
    }

    /** Options from the command line; the broker and topic default to the service's environment variables. */
    public static SimulatorOptions parse(String[] args) {
        String servers = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        String topic = System.getenv().getOrDefault("KAFKA_TOPIC_INPUT_FEATURES", "extracted-features");
        SimulatorOptions d = defaults(servers, topic);
        double rate = d.rate;
        int assets = d.assets;
        List<Fault> faults = d.faults;
        double faultsPerMinute = d.faultsPerMinute;
        int healthySeconds = d.healthySeconds;
        long durationSeconds = d.durationSeconds;
        long seed = d.seed;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i] + "\n" + USAGE);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--bootstrap-servers" -> servers = value;
                case "--topic" -> topic = value;
                case "--rate" -> rate = positive(value);
                case "--assets" -> assets = (int) positive(value);
                case "--faults" -> faults = faults(value);
                case "--faults-per-minute" -> faultsPerMinute = Double.parseDouble(value);
                case "--healthy-seconds" -> healthySeconds = Integer.parseInt(value);
                case "--duration-seconds" -> durationSeconds = Long.parseLong(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        return new SimulatorOptions(servers, topic, rate, assets, faults, faultsPerMinute, healthySeconds,
                durationSeconds, seed);
    }

    private static double positive(String value) {
        double v = Double.parseDouble(value);
        if (!(v > 0)) {
            throw new IllegalArgumentException("expected a positive number, got " + value);
        }
        return v;
    }

    private static List<Fault> faults(String value) {
        if (value.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Fault> faults = new ArrayList<>();
        for (String name : value.split(",")) {
            try {
                faults.add(Fault.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown fault '" + name + "'; known: "
                        + Arrays.toString(Fault.values()).toLowerCase(Locale.ROOT));
            }
        }
        return faults;
    }
}
