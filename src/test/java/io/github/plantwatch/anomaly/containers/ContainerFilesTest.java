package io.github.plantwatch.anomaly.containers;

import io.github.plantwatch.anomaly.support.PomFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Docker engine runs where this project is built, so nothing starts the image or the compose file: this test
 * keeps them honest instead. Every variable they set must be one the service reads (application.properties,
 * log4j2.properties, Camel's own CAMEL_* options), every port one it listens on, the volume where it keeps its
 * models, and the compose topics and broker the ones it uses.
 */
class ContainerFilesTest {

    private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
    private static final Path COMPOSE = Path.of("docker", "compose.yaml");
    /** What the image sets for the processes that run the service rather than for the service itself. */
    private static final Map<String, String> RUNTIME_VARIABLES = Map.of(
            "JAVA_OPTS", "the JVM options the ENTRYPOINT passes to java",
            "OMP_NUM_THREADS", "the threads of ND4J's native OpenMP code (LSTM training)");
    private static final List<String> PORT_PROPERTIES = List.of("camel.server.port", "camel.management.port");
    private static final List<String> TOPIC_VARIABLES = List.of("KAFKA_TOPIC_INPUT_FEATURES",
            "KAFKA_TOPIC_OUTPUT_ANOMALIES", "KAFKA_TOPIC_DEAD_LETTER", "KAFKA_TOPIC_MODELS", "KAFKA_TOPIC_STREAM_STATE",
            "KAFKA_TOPIC_EPISODES", "KAFKA_TOPIC_FEEDBACK", "KAFKA_TOPIC_MAINTENANCE");
    private static final Pattern HEALTH_URL = Pattern.compile("http://[^:/]+:(\\d+|\\$\\{(\\w+):-(\\d+)})/");

    private static ServiceVariables variables;
    private static Dockerfile image;
    private static ComposeFile compose;
    /** The compose service that runs the image of {@link #DOCKERFILE}. */
    private static String service;

    @BeforeAll
    static void readFiles() throws Exception {
        variables = ServiceVariables.read(Path.of("application.properties"),
                Path.of("src", "main", "resources", "log4j2.properties"));
        image = Dockerfile.read(DOCKERFILE);
        compose = ComposeFile.read(COMPOSE);
        service = compose.serviceBuiltFrom(DOCKERFILE.toString());
    }

    @Test
    void everyVariableTheImageSetsIsOneTheServiceReads() {
        assertAllRead(image.environment.keySet(), DOCKERFILE);
    }

    @Test
    void everyVariableComposeGivesTheServiceIsOneItReads() {
        assertAllRead(compose.environment(service).keySet(), COMPOSE);
    }

    @Test
    void theImageRunsJavaWithItsOptionsAndTheFlagsTheBuildTestsWith() throws Exception {
        assertTrue(image.entrypoint.contains("$JAVA_OPTS"), "the ENTRYPOINT must pass $JAVA_OPTS to java");
        assertTrue(image.entrypoint.contains("@/app/jvm.options"), "the ENTRYPOINT must pass the service's JVM "
                + "options (bin/jvm.options, copied to /app/jvm.options) to java");
        assertTrue(Files.readString(DOCKERFILE).contains("COPY bin/jvm.options jvm.options"),
                DOCKERFILE + " must copy bin/jvm.options into the image");
        assertEquals("@${project.basedir}/bin/jvm.options", PomFile.read(Path.of("pom.xml")).property("jvm.flags"),
                "the build's test JVMs must run with the service's JVM options");
    }

    @Test
    void theImageExposesExactlyThePortsTheServiceListensOn() {
        assertEquals(servicePorts(image.environment), new TreeSet<>(image.exposedPorts),
                "EXPOSE of " + DOCKERFILE + " must be the HTTP and management ports of application.properties");
    }

    @Test
    void composePublishesOnlyPortsTheServiceListensOn() {
        List<Integer> published = compose.containerPorts(service);
        assertFalse(published.isEmpty(), COMPOSE + " publishes no port of " + service);
        Collection<Integer> listening = servicePorts(serviceEnvironment());
        assertTrue(listening.containsAll(published), COMPOSE + " publishes container ports " + published
                + " of " + service + "; it listens on " + listening);
    }

    @Test
    void theHealthCheckAsksAPortTheServiceListensOn() {
        Matcher url = HEALTH_URL.matcher(image.healthCheck);
        assertTrue(url.find(), "no http://host:port/ URL in the HEALTHCHECK of " + DOCKERFILE);
        int port;
        if (url.group(2) == null) {
            port = Integer.parseInt(url.group(1));
        } else {
            ServiceVariables.Variable variable = variables.get(url.group(2));
            assertTrue(PORT_PROPERTIES.contains(variable.property()), url.group(2) + " is not a port variable");
            assertEquals(variable.defaultValue(), url.group(3), "the HEALTHCHECK's default for " + url.group(2)
                    + " must be application.properties' default");
            port = Integer.parseInt(variables.valueIn(image.environment, url.group(2)));
        }
        assertTrue(servicePorts(image.environment).contains(port), "the HEALTHCHECK asks port " + port);
    }

    @Test
    void theModelVolumeIsWhereTheServiceKeepsItsModels() {
        assertTrue(image.volumes.contains(variables.valueIn(image.environment, "MODEL_DIR")),
                "VOLUME " + image.volumes + " of " + DOCKERFILE + " must hold MODEL_DIR");
        assertTrue(compose.volumeTargets(service).contains(variables.valueIn(serviceEnvironment(), "MODEL_DIR")),
                "a volume of " + service + " in " + COMPOSE + " must be mounted at MODEL_DIR");
    }

    @Test
    void composeCreatesTheTopicsTheServiceUses() {
        List<String> creators = compose.serviceNames().stream().filter(name -> !builtFromTheDockerfile(name))
                .filter(name -> compose.environment(name).keySet().containsAll(TOPIC_VARIABLES)).toList();
        assertEquals(1, creators.size(), "one service of " + COMPOSE + " must create the topics: " + creators);
        Map<String, String> creator = compose.environment(creators.getFirst());
        String command = compose.service(creators.getFirst()).path("command").toString();
        for (String topic : TOPIC_VARIABLES) {
            assertEquals(variables.valueIn(serviceEnvironment(), topic), creator.get(topic),
                    creators.getFirst() + " must create the topic " + service + " uses as " + topic);
            assertTrue(command.contains("$$" + topic), creators.getFirst() + " sets " + topic + " but never uses it");
        }
    }

    @Test
    void theReplicasJoinTheServicesGroupOnTheSameTopics() {
        List<String> replicas = compose.serviceNames().stream().filter(name -> !name.equals(service))
                .filter(ContainerFilesTest::builtFromTheDockerfile)
                .filter(name -> compose.environment(name).containsKey("KAFKA_CONSUMER_GROUP")).toList();
        assertTrue(!replicas.isEmpty(), COMPOSE + " must run replicas of " + service);
        Map<String, String> main = compose.environment(service);
        for (String replica : replicas) {
            for (String name : List.of("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_CONSUMER_GROUP", "KAFKA_TOPIC_INPUT_FEATURES",
                    "KAFKA_TOPIC_OUTPUT_ANOMALIES", "KAFKA_TOPIC_DEAD_LETTER", "KAFKA_TOPIC_MODELS",
                    "KAFKA_TOPIC_STREAM_STATE", "KAFKA_TOPIC_EPISODES", "KAFKA_TOPIC_FEEDBACK",
                    "KAFKA_TOPIC_MAINTENANCE")) {
                assertEquals(main.get(name), compose.environment(replica).get(name), replica + " " + name);
            }
        }
    }

    private static boolean builtFromTheDockerfile(String name) {
        return DOCKERFILE.toString().equals(compose.service(name).path("build").path("dockerfile").asText());
    }

    @Test
    void theServiceReachesComposesKafkaOnItsAdvertisedListenerAtTheTestedVersion() throws Exception {
        String kafkaVersion = PomFile.read(Path.of("pom.xml")).property("kafka.version");
        for (String broker : variables.valueIn(serviceEnvironment(), "KAFKA_BOOTSTRAP_SERVERS").split(",")) {
            String host = broker.substring(0, broker.indexOf(':'));
            assertTrue(compose.serviceNames().contains(host), broker + ": no compose service named " + host);
            assertTrue(compose.environment(host).getOrDefault("KAFKA_ADVERTISED_LISTENERS", "")
                    .contains("//" + broker), host + " does not advertise " + broker);
            assertTrue(compose.service(host).path("image").asText().endsWith(":" + kafkaVersion),
                    host + " must run Kafka " + kafkaVersion + ", the version the service is built and tested with");
        }
    }

    /** Where the compose service runs: the image's variables, then compose's. */
    private static Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>(image.environment);
        environment.putAll(compose.environment(service));
        return environment;
    }

    private static TreeSet<Integer> servicePorts(Map<String, String> environment) {
        TreeSet<Integer> ports = new TreeSet<>();
        for (String property : PORT_PROPERTIES) {
            ServiceVariables.Variable variable = variables.forProperty(property).orElseThrow(
                    () -> new AssertionError(property + " is not set from a variable in application.properties"));
            ports.add(Integer.parseInt(variables.valueIn(environment, variable.name())));
        }
        return ports;
    }

    private static void assertAllRead(Collection<String> names, Path file) {
        List<String> problems = names.stream().map(ContainerFilesTest::problemWith).flatMap(Optional::stream)
                .toList();
        assertTrue(problems.isEmpty(), file + " sets variables the service does not read:\n"
                + String.join("\n", problems));
    }

    private static Optional<String> problemWith(String name) {
        if (variables.contains(name) || RUNTIME_VARIABLES.containsKey(name)) {
            return Optional.empty();
        }
        if (name.startsWith("CAMEL_")) {
            return CamelVariables.problemWith(name);
        }
        return Optional.of(name + ": neither {{env:" + name + "}} in application.properties nor ${env:" + name
                + "} in log4j2.properties");
    }
}
