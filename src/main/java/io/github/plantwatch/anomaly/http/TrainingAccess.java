package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.plantwatch.anomaly.contract.ApiError;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Who may train (training changes what the service believes is normal). With a token configured, a request must
 * carry {@code Authorization: Bearer <token>}, from anywhere; without one, only clients on this host (loopback) may
 * train. Refused requests get 401 (no or wrong token) or 403 (not loopback) and go no further.
 * <p>
 * Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}: the time taken says nothing about how
 * much of a guess was right, nor about the token's length. The remote address is the TCP peer's; a reverse proxy
 * on the same host makes every client look local, so deployments behind one must configure a token.
 */
public final class TrainingAccess implements Processor {

    /** Shorter tokens can be guessed; generate one, e.g. {@code openssl rand -hex 32}. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final Logger LOG = LoggerFactory.getLogger(TrainingAccess.class);
    private static final String BEARER = "bearer ";

    private final byte[] tokenDigest;

    private TrainingAccess(byte[] tokenDigest) {
        this.tokenDigest = tokenDigest;
    }

    /**
     * @param token     {@code TRAINING_API_TOKEN}, blank when unset
     * @param tokenFile {@code TRAINING_API_TOKEN_FILE}, blank when unset: a file holding the token (e.g. a mounted
     *                  secret), surrounding white space ignored
     */
    public static TrainingAccess configure(String token, String tokenFile) {
        boolean fromEnvironment = token != null && !token.isBlank();
        boolean fromFile = tokenFile != null && !tokenFile.isBlank();
        if (fromEnvironment && fromFile) {
            throw new IllegalStateException("set TRAINING_API_TOKEN or TRAINING_API_TOKEN_FILE, not both");
        }
        if (!fromEnvironment && !fromFile) {
            LOG.warn("No TRAINING_API_TOKEN: POST /api/v1/anomalies/train is accepted only from this host (loopback)");
            return new TrainingAccess(null);
        }
        String secret = fromFile ? read(Path.of(tokenFile.trim())) : token.trim();
        if (secret.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("the training API token must have at least " + MIN_TOKEN_LENGTH
                    + " characters (from " + (fromFile ? "TRAINING_API_TOKEN_FILE" : "TRAINING_API_TOKEN") + ")");
        }
        LOG.info("POST /api/v1/anomalies/train requires a bearer token (from {})",
                fromFile ? "TRAINING_API_TOKEN_FILE" : "TRAINING_API_TOKEN");
        return new TrainingAccess(sha256(secret));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TRAINING_API_TOKEN_FILE " + file, e);
        }
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        String client = remoteAddress(exchange);
        exchange.getMessage().removeHeader("Authorization");
        if (tokenDigest == null) {
            if (!isLoopback(client)) {
                refuse(exchange, 403, client, "training is accepted only from this host while no "
                        + "TRAINING_API_TOKEN is configured", null);
            }
        } else if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            refuse(exchange, 401, client, "missing bearer token: send Authorization: Bearer <token>",
                    "Bearer realm=\"anomaly-detection\"");
        } else if (!MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(BEARER.length()).trim()))) {
            refuse(exchange, 401, client, "invalid bearer token",
                    "Bearer realm=\"anomaly-detection\", error=\"invalid_token\"");
        }
    }

    /** Answers and ends the route here: the request never reaches training. */
    private static void refuse(Exchange exchange, int status, String client, String reason, String challenge)
            throws JsonProcessingException {
        LOG.warn("Training request from {} refused ({}): {}", client, status, reason);
        JsonResponse.write(exchange, status, new ApiError(status, reason));
        if (challenge != null) {
            exchange.getMessage().setHeader("WWW-Authenticate", challenge);
        }
        exchange.setRouteStop(true);
    }

    private static String remoteAddress(Exchange exchange) {
        Object address = exchange.getMessage().getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        return address instanceof SocketAddress socket && socket.hostAddress() != null ? socket.hostAddress()
                : "unknown";
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.ofLiteral(address).isLoopbackAddress();
        } catch (IllegalArgumentException notAnIpAddress) {
            return false;
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
