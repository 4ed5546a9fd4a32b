package io.github.plantwatch.anomaly.cli;

import io.github.plantwatch.anomaly.simulator.SensorSimulator;
import io.github.plantwatch.anomaly.simulator.SimulatorOptions;

/** {@code simulate [options]}: plays simulated machines into any broker until Ctrl+C (or --duration-seconds). */
public final class SimulateCommand {

    private SimulateCommand() {
    }

    public static void run(String[] args) throws InterruptedException {
        SimulatorOptions options = SimulatorOptions.parse(args);
        SensorSimulator simulator = new SensorSimulator(options);
        Thread worker = Thread.ofPlatform().name("simulator").start(simulator);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.stop();
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.printf("Simulating %d assets at %.1f msg/s into %s on %s (faults: %s)%n", options.assets(),
                options.rate(), options.topic(), options.bootstrapServers(), options.faults());
        worker.join();
        System.out.printf("Sent %d messages%n", simulator.sent());
    }
}
