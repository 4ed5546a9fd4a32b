package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.plantwatch.anomaly.contract.ApiError;
import io.github.plantwatch.anomaly.contract.Excerpt;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may change what the service believes (training, rollback, feedback, maintenance windows). With a token
 * configured, a request must carry {@code Authorization: Bearer <token>}, from anywhere; without one, only clients on
 * this host (loopback) may, and only when the request is addressed to the service itself: its {@code Host} is a
 * loopback name or address with the service's port ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) and its
 * {@code Origin}, when sent, is {@code http://} that host. A web page open in a browser on this host is a loopback
 * client too: the browser sends its page's {@code Origin} (another site's, or a rebound DNS name as {@code Host}),
 * so the page cannot act on the service. Refused requests get 401 (no or wrong token) or 403 (not loopback, or not
 * addressed to the service) and go no further.
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

    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

    private final byte[] tokenDigest;
    /** The Host values a request may carry without a token: each loopback name with the service's port. */
    private final Set<String> ownHosts;

    private TrainingAccess(byte[] tokenDigest, int port) {
        this.tokenDigest = tokenDigest;
        Set<String> hosts = new HashSet<>();
        for (String name : LOOPBACK_NAMES) {
            hosts.add(name + ":" + port);
            if (port == 80) {
                hosts.add(name); // a browser leaves the default port out
            }
        }
        this.ownHosts = Set.copyOf(hosts);
    }

    /**
     * @param token     {@code TRAINING_API_TOKEN}, blank when unset
     * @param tokenFile {@code TRAINING_API_TOKEN_FILE}, blank when unset: a file holding the token (e.g. a mounted
     *                  secret), surrounding white space ignored
     * @param port      the HTTP API's port ({@code camel.server.port}): without a token, requests must be addressed to
     *                  it on a loopback name
     */
    public static TrainingAccess configure(String token, String tokenFile, int port) {
        boolean fromEnvironment = token != null && !token.isBlank();
        boolean fromFile = tokenFile != null && !tokenFile.isBlank();
        if (fromEnvironment && fromFile) {
            throw new IllegalStateException("set TRAINING_API_TOKEN or TRAINING_API_TOKEN_FILE, not both");
        }
        if (!fromEnvironment && !fromFile) {
            LOG.warn("No TRAINING_API_TOKEN: training, rollback, feedback and maintenance are accepted only from this "
                    + "host (loopback), addressed to localhost:{}", port);
            return new TrainingAccess(null, port);
        }
        String secret = fromFile ? read(Path.of(tokenFile.trim())) : token.trim();
        if (secret.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("the training API token must have at least " + MIN_TOKEN_LENGTH
                    + " characters (from " + (fromFile ? "TRAINING_API_TOKEN_FILE" : "TRAINING_API_TOKEN") + ")");
        }
        LOG.info("POST /api/v1/anomalies/train requires a bearer token (from {})",
                fromFile ? "TRAINING_API_TOKEN_FILE" : "TRAINING_API_TOKEN");
        return new TrainingAccess(sha256(secret), port);
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
            } else {
                String foreign = notAddressedToUs(exchange);
                if (foreign != null) {
                    refuse(exchange, 403, client, foreign, null);
                }
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

    /**
     * Why a loopback request is not addressed to this service (null when it is): its Host must be one of
     * {@link #ownHosts}, and its Origin absent or {@code http://} that Host. A page of another site (or of a DNS name
     * rebound to 127.0.0.1) open in a browser on this host sends its own Origin or Host.
     */
    private String notAddressedToUs(Exchange exchange) {
        List<String> hosts = hosts(exchange);
        List<String> origins = requestHeaders(exchange, "Origin");
        String host = hosts.size() == 1 ? hosts.getFirst().strip().toLowerCase(Locale.ROOT) : null;
        if (host == null || !ownHosts.contains(host)) {
            return "without a TRAINING_API_TOKEN, state-changing requests must be addressed to this host as "
                    + "localhost, 127.0.0.1 or [::1] with the service's port (Host header"
                    + (hosts.size() == 1 ? " " + Excerpt.of(hosts.getFirst()) : hosts.isEmpty() ? " missing"
                    : "s repeated") + "); configure a token to use another name";
        }
        if (origins.isEmpty()) {
            return null;
        }
        if (origins.size() > 1 || !origins.getFirst().strip().equalsIgnoreCase("http://" + host)) {
            return "without a TRAINING_API_TOKEN, state-changing requests are refused from web pages of another "
                    + "origin (Origin " + Excerpt.of(String.join(", ", origins)) + ", expected http://" + host + ")";
        }
        return null;
    }

    /** The request's Host headers; over HTTP/2 (h2c), its {@code :authority}. */
    private static List<String> hosts(Exchange exchange) {
        if (exchange.getMessage() instanceof HttpMessage http && http.getRequest() != null
                && http.getRequest().version() == HttpVersion.HTTP_2) {
            HostAndPort authority = http.getRequest().authority();
            if (authority == null) {
                return List.of();
            }
            String host = authority.host();
            host = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            return List.of(authority.port() < 0 ? host : host + ":" + authority.port());
        }
        return requestHeaders(exchange, "Host");
    }

    /** Every value of a request header, from the HTTP request itself (the message's headers may be filtered). */
    private static List<String> requestHeaders(Exchange exchange, String name) {
        if (exchange.getMessage() instanceof HttpMessage http && http.getRequest() != null) {
            return http.getRequest().headers().getAll(name);
        }
        Object value = exchange.getMessage().getHeader(name);
        return value == null ? List.of() : value instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of(value.toString());
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
