///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Camel CLI (camel run ...) on the Camel runtime the anomaly detection service is built on
//JAVA 25+
//DEPS org.apache.camel:camel-bom:4.18.0@pom
//DEPS org.apache.camel:camel-jbang-core:4.17.0
//DEPS org.apache.camel:camel-jbang-console:4.17.0
//DEPS org.apache.camel.kamelets:camel-kamelets:4.18.0
//RUNTIME_OPTIONS -XX:+UseParallelGC -XX:MetaspaceSize=128m -XX:InlineSmallCode=1000
//RUNTIME_OPTIONS --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
//RUNTIME_OPTIONS -Dorg.bytedeco.javacpp.maxPhysicalBytes=0

/**
 * Camel's command line ({@code camel run ...}). JBang runs this file through jbang-catalog.json; bin/camel runs it
 * with plain {@code java} on the class path of pom.xml beside it. Camel ships no main class for its CLI outside
 * its JBang script, hence these lines.
 */
public final class CamelCli {

    private CamelCli() {
    }

    public static void main(String... args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
