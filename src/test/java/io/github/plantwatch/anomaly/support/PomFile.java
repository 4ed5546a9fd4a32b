package io.github.plantwatch.anomaly.support;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the tests read from a pom.xml: its properties and its dependencies, versions resolved. */
public final class PomFile {

    private final Document pom;

    private PomFile(Document pom) {
        this.pom = pom;
    }

    public static PomFile read(Path file) throws IOException {
        try {
            return new PomFile(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + file, e);
        }
    }

    /** A property of {@code <properties>}; empty when absent. */
    public String property(String name) {
        return child((Element) pom.getElementsByTagName("properties").item(0), name);
    }

    /**
     * {@code group:artifact:version} of every dependency, managed ones included; imported BOMs end in {@code @pom}
     * (JBang's notation).
     */
    public List<String> dependencies() {
        List<String> dependencies = new ArrayList<>();
        NodeList nodes = pom.getElementsByTagName("dependency");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element dependency = (Element) nodes.item(i);
            String version = child(dependency, "version");
            if (version.startsWith("${")) {
                version = property(version.substring(2, version.length() - 1));
            }
            dependencies.add(child(dependency, "groupId") + ":" + child(dependency, "artifactId") + ":" + version
                    + ("import".equals(child(dependency, "scope")) ? "@pom" : ""));
        }
        return dependencies;
    }

    private static String child(Element parent, String name) {
        NodeList children = parent.getElementsByTagName(name);
        return children.getLength() == 0 ? "" : children.item(0).getTextContent().trim();
    }
}
