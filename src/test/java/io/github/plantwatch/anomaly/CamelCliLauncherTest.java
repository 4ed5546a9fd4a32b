package io.github.plantwatch.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.plantwatch.anomaly.support.PomFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two launchers of Camel's CLI (bin/camel through camel-cli/pom.xml, JBang through jbang-catalog.json and the
 * //DEPS of camel-cli/CamelCli.java) must run the same versions, and the Camel runtime must be the service's: a
 * bump of camel.version in one place without the others fails here, not on an operator's laptop. JBang cannot read
 * the service's JVM options file, so the script repeats them, and this test holds the two together.
 */
class CamelCliLauncherTest {

    private static final Path LAUNCHER_POM = Path.of("camel-cli", "pom.xml");
    private static final Path SCRIPT = Path.of("camel-cli", "CamelCli.java");

    @Test
    void theCliRunsOnTheServicesCamelVersion() throws Exception {
        assertEquals(PomFile.read(Path.of("pom.xml")).property("camel.version"),
                PomFile.read(LAUNCHER_POM).property("camel.version"),
                "camel-cli/pom.xml must manage Camel at the service's camel.version");
    }

    @Test
    void jbangResolvesWhatMavenResolves() throws Exception {
        Set<String> scriptDependencies = Files.readAllLines(SCRIPT).stream()
                .filter(line -> line.startsWith("//DEPS "))
                .map(line -> line.substring("//DEPS ".length()).trim())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(PomFile.read(LAUNCHER_POM).dependencies()), scriptDependencies,
                "the //DEPS of " + SCRIPT + " must be the dependencies and imports of " + LAUNCHER_POM);
    }

    @Test
    void jbangRunsTheCliWithTheServicesJvmOptions() throws Exception {
        Set<String> scriptOptions = Files.readAllLines(SCRIPT).stream()
                .filter(line -> line.startsWith("//RUNTIME_OPTIONS "))
                .flatMap(line -> java.util.Arrays.stream(line.substring("//RUNTIME_OPTIONS ".length()).trim()
                        .split("\\s+")))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> serviceOptions = Files.readAllLines(Path.of("bin", "jvm.options")).stream()
                .map(line -> line.replaceAll("#.*", "").trim())
                .filter(option -> !option.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(serviceOptions, scriptOptions,
                "the //RUNTIME_OPTIONS of " + SCRIPT + " must be the options of bin/jvm.options");
    }

    @Test
    void theJbangAliasCamelRunsTheLauncherScript() throws Exception {
        JsonNode alias = new ObjectMapper().readTree(Path.of("jbang-catalog.json").toFile()).at("/aliases/camel");
        assertEquals(SCRIPT.toString(), alias.path("script-ref").asText());
        assertTrue(Files.isExecutable(Path.of("bin", "camel")), "bin/camel must be executable");
    }
}
