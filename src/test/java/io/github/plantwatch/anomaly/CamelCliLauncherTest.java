package io.github.plantwatch.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
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
 * bump of camel.version in one place without the others fails here, not on an operator's laptop.
 */
class CamelCliLauncherTest {

    private static final Path LAUNCHER_POM = Path.of("camel-cli", "pom.xml");
    private static final Path SCRIPT = Path.of("camel-cli", "CamelCli.java");

    @Test
    void theCliRunsOnTheServicesCamelVersion() throws Exception {
        assertEquals(property(Path.of("pom.xml"), "camel.version"), property(LAUNCHER_POM, "camel.version"),
                "camel-cli/pom.xml must manage Camel at the service's camel.version");
    }

    @Test
    void jbangResolvesWhatMavenResolves() throws Exception {
        Set<String> scriptDependencies = Files.readAllLines(SCRIPT).stream()
                .filter(line -> line.startsWith("//DEPS "))
                .map(line -> line.substring("//DEPS ".length()).trim())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(launcherPomDependencies(), scriptDependencies,
                "the //DEPS of " + SCRIPT + " must be the dependencies and imports of " + LAUNCHER_POM);
    }

    @Test
    void theJbangAliasCamelRunsTheLauncherScript() throws Exception {
        JsonNode alias = new ObjectMapper().readTree(Path.of("jbang-catalog.json").toFile()).at("/aliases/camel");
        assertEquals(SCRIPT.toString(), alias.path("script-ref").asText());
        assertTrue(Files.isExecutable(Path.of("bin", "camel")), "bin/camel must be executable");
    }

    /** {@code group:artifact:version} of each dependency and managed dependency; imported BOMs end in {@code @pom}. */
    private static Set<String> launcherPomDependencies() throws Exception {
        Document pom = parse(LAUNCHER_POM);
        Set<String> dependencies = new TreeSet<>();
        NodeList nodes = pom.getElementsByTagName("dependency");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element dependency = (Element) nodes.item(i);
            String version = child(dependency, "version");
            if (version.startsWith("${")) {
                version = property(LAUNCHER_POM, version.substring(2, version.length() - 1));
            }
            dependencies.add(child(dependency, "groupId") + ":" + child(dependency, "artifactId") + ":" + version
                    + ("import".equals(child(dependency, "scope")) ? "@pom" : ""));
        }
        return dependencies;
    }

    private static String property(Path pom, String name) throws Exception {
        NodeList properties = parse(pom).getElementsByTagName("properties");
        return child((Element) properties.item(0), name);
    }

    private static String child(Element parent, String name) {
        NodeList children = parent.getElementsByTagName(name);
        return children.getLength() == 0 ? "" : children.item(0).getTextContent().trim();
    }

    private static Document parse(Path xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }
}
