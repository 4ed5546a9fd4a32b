package io.github.plantwatch.anomaly.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed key pair for 127.0.0.1/localhost in a PKCS12 keystore and its certificate in a PKCS12 truststore,
 * made with the JDK's keytool: real files that Kafka's clients load when TLS is configured.
 */
public record TestKeystores(Path keystore, Path truststore, String password) {

    public static TestKeystores create(Path directory, String password) throws Exception {
        Path keystore = directory.resolve("keystore.p12");
        Path truststore = directory.resolve("truststore.p12");
        Path certificate = directory.resolve("broker.crt");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password);
        keytool("-exportcert", "-alias", "broker", "-rfc", "-file", certificate.toString(),
                "-keystore", keystore.toString(), "-storepass", password);
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", password);
        return new TestKeystores(keystore, truststore, password);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
