package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import org.apache.camel.Exchange;

/**
 * Writes an API answer: status and JSON body, and nothing of the request (platform-http echoes its headers); a
 * browser must not sniff it as anything but JSON.
 */
final class JsonResponse {

    static final String NOSNIFF_HEADER = "X-Content-Type-Options";

    private JsonResponse() {
    }

    static void write(Exchange exchange, int status, Object body) throws JsonProcessingException {
        // Request headers left on the message go back as response headers, Authorization included.
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(NOSNIFF_HEADER, "nosniff");
        exchange.getMessage().setBody(JsonCodec.mapper().writeValueAsBytes(body));
    }
}
