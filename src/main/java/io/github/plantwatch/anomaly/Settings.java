package io.github.plantwatch.anomaly;

import io.github.plantwatch.anomaly.stream.RetrainingSettings;
import io.github.plantwatch.anomaly.stream.ScoringSettings;
import io.github.plantwatch.anomaly.train.TrainingRequestParser;
import io.github.plantwatch.anomaly.train.TrainingSettings;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.util.Arrays;

/**
 * Reads the service's settings from {@code application.properties} (through Camel's properties component, so the
 * {@code {{env:NAME:default}}} overrides apply): one place, used by the service and by the evaluate command alike.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** The settings of the application.properties on the classpath, with their environment overrides. */
    public static Settings shipped() {
        DefaultCamelContext context = new DefaultCamelContext(); // never started: only its properties are used
        context.getPropertiesComponent().setLocation("classpath:application.properties");
        return new Settings(context.getPropertiesComponent());
    }

    public TrainingSettings trainingDefaults() {
        return new TrainingSettings(
                Arrays.stream(required("training.models").split(",")).map(String::trim).toList(),
                Double.parseDouble(required("training.contamination")),
                integer("training.lstm.window"),
                integer("training.lstm.epochs"),
                integer("training.isolation-forest.trees"),
                Long.parseLong(required("training.seed")),
                Double.parseDouble(required("training.calibration.holdout")),
                Double.parseDouble(required("training.wandering-ratio")));
    }

    public TrainingRequestParser trainingRequestParser() {
        return new TrainingRequestParser(trainingDefaults(), integer("training.min-rows"),
                integer("training.max-rows"), integer("training.max-features"));
    }

    public ScoringSettings scoring() {
        return new ScoringSettings(
                integer("scoring.persistence.window"),
                integer("scoring.persistence.min-anomalies"),
                decimal("scoring.criticality.high-probability"),
                decimal("scoring.criticality.critical-probability"),
                integer("scoring.baseline.half-life"),
                decimal("scoring.baseline.gate"),
                integer("scoring.baseline.normal-half-life"),
                integer("scoring.baseline.normal-clearance"),
                integer("scoring.settle.records"),
                decimal("scoring.settle.tolerance"),
                integer("scoring.top-features"),
                integer("scoring.max-streams"),
                Long.parseLong(required("scoring.stream-idle-ms").trim()),
                new RetrainingSettings(
                        integer("retraining.every-records"),
                        integer("retraining.history-rows"),
                        integer("retraining.min-rows"),
                        integer("retraining.shadow-rows"),
                        integer("retraining.new-normal-after"),
                        integer("retraining.max-streams")),
                integer("episodes.quiet-records"),
                integer("scoring.recalibration.records"));
    }

    public String required(String key) {
        return properties.resolveProperty(key).orElseThrow(
                () -> new IllegalStateException("missing configuration property " + key + " (application.properties)"));
    }

    public double decimal(String key) {
        return Double.parseDouble(required(key).trim());
    }

    public int integer(String key) {
        return Integer.parseInt(required(key).trim());
    }
}
