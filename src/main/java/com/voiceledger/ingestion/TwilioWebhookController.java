package com.voiceledger.ingestion;

import com.voiceledger.ingestion.internal.TwilioSignature;
import com.voiceledger.ingestion.internal.WebhookRequests;
import com.voiceledger.shared.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/twilio/status}: Twilio's voice status callback. The signature is checked
 * against the public URL ({@code VOICELEDGER_PUBLIC_BASE_URL} + path and query) when one is
 * configured, since behind a proxy the URL the server sees is not the one Twilio signed.
 */
@RestController
class TwilioWebhookController {

    private final TwilioIngest ingest;
    private final TwilioProperties properties;
    private final IngestProperties limits;
    private final @Nullable String publicBaseUrl;

    TwilioWebhookController(TwilioIngest ingest, TwilioProperties properties, IngestProperties limits,
            @Value("${voiceledger.public-base-url:}") @Nullable String publicBaseUrl) {
        this.ingest = ingest;
        this.properties = properties;
        this.limits = limits;
        this.publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null : stripSlash(publicBaseUrl);
    }

    @PostMapping(path = "/webhooks/twilio/status", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> receive(HttpServletRequest request) throws IOException {
        if (!WebhookRequests.hasMediaType(request, MediaType.APPLICATION_FORM_URLENCODED_VALUE)) {
            return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/x-www-form-urlencoded");
        }
        byte[] raw;
        try {
            raw = WebhookRequests.body(request, limits.maxBodyBytes());
        } catch (WebhookRequests.BodyTooLargeException e) {
            return error(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        Map<String, List<String>> form;
        try {
            form = parseForm(body);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, "body is not a valid form encoding");
        }
        String token = properties.authToken();
        if (token == null || token.isBlank()) {
            return error(HttpStatus.UNAUTHORIZED, "Twilio authentication is not configured on this server "
                    + "(set VOICELEDGER_TWILIO_AUTH_TOKEN)");
        }
        String signature = request.getHeader("X-Twilio-Signature");
        if (signature == null || !TwilioSignature.matches(token, signedUrl(request), form, signature)) {
            return error(HttpStatus.UNAUTHORIZED, "missing or wrong X-Twilio-Signature");
        }
        IngestResult result = ingest.ingest(request.getContentType(), WebhookRequests.headersForLog(request), body, form);
        if (result.failed()) {
            return ResponseEntity.badRequest().body(new ApiError(result.error(), Map.of("eventId", result.eventId())));
        }
        return ResponseEntity.ok(Map.of("eventId", result.eventId(), "status", result.status().name().toLowerCase()));
    }

    private String signedUrl(HttpServletRequest request) {
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        if (publicBaseUrl != null) {
            return publicBaseUrl + request.getRequestURI() + query;
        }
        return request.getRequestURL() + query;
    }

    static Map<String, List<String>> parseForm(String body) {
        return TwilioForms.parse(body);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiError.of(message));
    }
}
