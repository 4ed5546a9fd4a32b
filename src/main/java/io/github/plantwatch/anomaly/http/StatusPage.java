package io.github.plantwatch.anomaly.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control-room page ({@code GET /}) and the Content-Security-Policy it is served with: nothing but its own inline
 * script and style block (allowed by their SHA-256, computed here from the file as served), a {@code data:} favicon,
 * and requests to the service itself. An id or text that ever slipped into the page as HTML could run no script, load
 * nothing, send nothing elsewhere; and no other site may frame the page.
 */
final class StatusPage {

    static final String RESOURCE = "/web/index.html";
    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

    final byte[] html;
    final String contentSecurityPolicy;

    private StatusPage(byte[] html, String contentSecurityPolicy) {
        this.html = html;
        this.contentSecurityPolicy = contentSecurityPolicy;
    }

    static StatusPage load() {
        try (InputStream page = StatusPage.class.getResourceAsStream(RESOURCE)) {
            if (page == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return of(page.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static StatusPage of(byte[] html) {
        String text = new String(html, StandardCharsets.UTF_8);
        return new StatusPage(html, "default-src 'none'; script-src " + hashOfSingle(SCRIPT, text, "<script>")
                + "; style-src " + hashOfSingle(STYLE, text, "<style>") + "; img-src data:; connect-src 'self'; "
                + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    }

    /** The CSP source of the page's one block of this kind: {@code 'sha256-<base64>'} of its exact text. */
    private static String hashOfSingle(Pattern block, String page, String name) {
        Matcher matcher = block.matcher(page);
        if (!matcher.find()) {
            throw new IllegalStateException(RESOURCE + " has no " + name + " block");
        }
        String content = matcher.group(1);
        if (matcher.find()) {
            throw new IllegalStateException(RESOURCE + " must have a single " + name + " block: its CSP allows one");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
