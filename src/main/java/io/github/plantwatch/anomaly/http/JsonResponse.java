package io.github.plantwatch.anomaly.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.plantwatch.anomaly.contract.JsonCodec;
import org.apache.camel.Exchange;

/** Writes an API answer: status and JSON body, and nothing of the request (platform-http echoes its headers). */
final class JsonResponse {

    private JsonResponse() {
    }

    static void write(Exchange exchange, int status, Object body) throws JsonProcessingException {
        // Request headers left on the message go back as response headers, Authorization included.
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JsonCodec.mapper().writeValueAsBytes(body));
    }
}
