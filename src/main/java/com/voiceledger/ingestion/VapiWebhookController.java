package com.voiceledger.ingestion;

import com.voiceledger.ingestion.internal.VapiAuthenticator;
import com.voiceledger.ingestion.internal.WebhookRequests;
import com.voiceledger.customer.CallOwnerHints;
import com.voiceledger.shared.ApiError;
import com.voiceledger.spendcap.Admission;
import com.voiceledger.spendcap.CallToAdmit;
import com.voiceledger.spendcap.SpendCapProperties;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.usage.CallIdentity;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/vapi}: the voice platform's server URL. Checks, in order: content type
 * (415), size (413), sender (401); then stores the raw delivery and normalises it (400 when it
 * cannot be understood, still stored). A 2xx means the delivery is committed.
 */
@RestController
class VapiWebhookController {

    private static final Logger log = LoggerFactory.getLogger(VapiWebhookController.class);

    private final VapiIngest ingest;
    private final VapiAuthenticator authenticator;
    private final VapiProperties properties;
    private final IngestProperties limits;
    private final SpendCaps spendCaps;
    private final SpendCapProperties spendCapProperties;

    static final String ASSISTANT_REQUEST = "assistant-request";
    /** What a 503 asks the platform to wait before it retries. */
    static final int RETRY_AFTER_SECONDS = 2;

    VapiWebhookController(VapiIngest ingest, VapiProperties properties, IngestProperties limits, Clock clock,
            SpendCaps spendCaps, SpendCapProperties spendCapProperties) {
        this.spendCaps = spendCaps;
        this.spendCapProperties = spendCapProperties;
        this.ingest = ingest;
        this.properties = properties;
        this.limits = limits;
        this.authenticator = new VapiAuthenticator(properties, clock);
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnWhenUnprotected() {
        if (!properties.anyCredentialConfigured()) {
            log.warn("No Vapi webhook credential is configured: POST /webhooks/vapi refuses every delivery. "
                    + "Set VOICELEDGER_VAPI_SECRET and/or VOICELEDGER_VAPI_HMAC_SECRET.");
        }
    }

    @PostMapping(path = "/webhooks/vapi", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> receive(HttpServletRequest request) throws IOException {
        if (!WebhookRequests.hasMediaType(request, MediaType.APPLICATION_JSON_VALUE)) {
            return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json",
                    request.getContentType());
        }
        byte[] body;
        try {
            body = WebhookRequests.body(request, limits.maxBodyBytes());
        } catch (WebhookRequests.BodyTooLargeException e) {
            return error(HttpStatus.CONTENT_TOO_LARGE, e.getMessage(), null);
        }
        Optional<String> refusal = authenticator.refusal(request::getHeader, body);
        if (refusal.isPresent()) {
            return error(HttpStatus.UNAUTHORIZED, refusal.get(), null);
        }
        IngestResult result;
        try {
            result = ingest.ingest("vapi", request.getContentType(), WebhookRequests.headersForLog(request), body);
        } catch (GroupCommit.NotAnswered e) {
            // not written in time (a lock held elsewhere, a slow database): the platform retries; a retry of a
            // delivery that was written after all is answered as a duplicate (decision 0065)
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(new ApiError("not stored yet: please retry", null));
        }
        if (result.failed()) {
            return error(HttpStatus.BAD_REQUEST, result.error(), Map.of("eventId", result.eventId()));
        }
        if (ASSISTANT_REQUEST.equals(result.messageType()) && result.call() != null) {
            return ResponseEntity.ok(assistantReply(result.call()));
        }
        return ResponseEntity.ok(new Accepted(result.eventId(), result.status().name().toLowerCase(),
                result.messageType(), result.callId()));
    }

    /**
     * The platform waits for this answer before the call starts: the caller hears {@code error} when
     * the customer is suspended or at its cap; otherwise the customer's assistant takes the call.
     */
    private Map<String, Object> assistantReply(CallIdentity call) {
        Admission admission = spendCaps.admit(new CallOwnerHints(call.metadataCustomerKey(), call.assistantId(),
                call.phoneNumberId(), call.orgId()), call.callId(), new CallToAdmit(call.assistantId(), List.of()));
        if (!admission.allowed()) {
            return Map.of("error", spendCapProperties.refusalMessage());
        }
        if (admission.assistantId() == null) {
            return Map.of();
        }
        // the platform ends the call itself at maxDurationSeconds: shortened near the cap, never cut by billing
        return admission.maxDurationSeconds() == null ? Map.of("assistantId", admission.assistantId())
                : Map.of("assistantId", admission.assistantId(),
                        "assistantOverrides", Map.of("maxDurationSeconds", admission.maxDurationSeconds()));
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String message, Object detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ApiError(message, detail));
    }

    record Accepted(long eventId, String status, String messageType, String callId) {
    }
}
