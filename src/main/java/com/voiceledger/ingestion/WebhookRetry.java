package com.voiceledger.ingestion;

import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.NotFoundException;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Service;

/**
 * Processes a stored delivery again, from its raw body, through the same normaliser: how finance
 * recovers a delivery that failed (a bug since fixed, a customer created late). Idempotent like any
 * delivery: retrying a processed event reports it as a duplicate.
 */
@Service
public class WebhookRetry {

    private final WebhookEventLog eventLog;
    private final VapiIngest vapi;
    private final TwilioIngest twilio;

    WebhookRetry(WebhookEventLog eventLog, VapiIngest vapi, TwilioIngest twilio) {
        this.eventLog = eventLog;
        this.vapi = vapi;
        this.twilio = twilio;
    }

    public IngestResult retry(long eventId) {
        WebhookEvent event = eventLog.find(eventId).orElseThrow(() -> new NotFoundException("no webhook event " + eventId));
        String body = eventLog.body(eventId).orElseThrow(() -> new ConflictException("the body of delivery " + eventId
                + " was purged on " + event.bodyPurgedAt() + " after it was processed (retention): nothing to retry"));
        return switch (event.source()) {
            case "vapi", "backfill" -> vapi.process(eventId, body.getBytes(StandardCharsets.UTF_8));
            case "twilio" -> twilio.process(eventId, TwilioForms.parse(body));
            default -> throw new BadRequestException("events from " + event.source() + " cannot be retried");
        };
    }
}
