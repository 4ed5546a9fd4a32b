package io.github.plantwatch.anomaly;

import io.github.plantwatch.anomaly.cli.AotTrainingCommand;
import io.github.plantwatch.anomaly.cli.DemoCommand;
import io.github.plantwatch.anomaly.cli.SimulateCommand;
import io.github.plantwatch.anomaly.evaluate.EvaluateCommand;
import io.github.plantwatch.anomaly.kafka.EmbeddedKafka;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the fat jar: Camel Main with application.properties and routes/*.camel.yaml.
 * {@code --embedded-kafka} (or {@code KAFKA_EMBEDDED=true}) first starts a single-node KRaft broker in this JVM
 * and points the service at it, for machines without Kafka. Sub-commands: {@code demo} (broker + service +
 * simulator, see README), {@code simulate} (the sensor simulator alone, against any broker),
 * {@code evaluate --skab <folder>} (the SKAB evaluation) and {@code aot-training} (the workload a JDK AOT cache is
 * recorded on).
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    static final String EMBEDDED_FLAG = "--embedded-kafka";
    /** First argument of the SKAB evaluation command; anything else starts the service. */
    static final String EVALUATE = "evaluate";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 0 ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        switch (command) {
            case "demo" -> DemoCommand.run(rest);
            case "simulate" -> SimulateCommand.run(rest);
            case "aot-training" -> {
                AotTrainingCommand.run(rest);
                System.exit(0); // the JVM writes an AOT cache (-XX:AOTCacheOutput) as it exits
            }
            case EVALUATE -> {
                // one report, not every verdict; set here, not in the command, which tests run in a shared JVM
                Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.ERROR);
                System.exit(EvaluateCommand.run(List.of(rest), System.out));
            }
            default -> runService(args);
        }
    }

    private static void runService(String[] args) throws Exception {
        List<String> camelArgs = new ArrayList<>(List.of(args));
        boolean embedded = camelArgs.remove(EMBEDDED_FLAG)
                || Boolean.parseBoolean(System.getenv().getOrDefault("KAFKA_EMBEDDED", "false"));
        org.apache.camel.main.Main main = new org.apache.camel.main.Main();
        EmbeddedKafka kafka = null;
        CountDownLatch serviceStopped = new CountDownLatch(1);
        if (embedded) {
            kafka = EmbeddedKafka.start();
            kafka.stopAtExitAfter(serviceStopped);
            LOG.info("Embedded Kafka broker listening on {}", kafka.bootstrapServers());
            main.addOverrideProperty("kafka.bootstrap-servers", kafka.bootstrapServers());
            main.addOverrideProperty("kafka.create-topics", "true");
        }
        try {
            main.run(camelArgs.toArray(String[]::new));
        } finally {
            serviceStopped.countDown();
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
