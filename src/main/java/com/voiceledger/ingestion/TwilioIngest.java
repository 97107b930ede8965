package com.voiceledger.ingestion;

import com.voiceledger.ingestion.internal.InvalidPayloadException;
import com.voiceledger.usage.RecordOutcome;
import com.voiceledger.usage.TwilioCallStatus;
import com.voiceledger.usage.UsageRecorder;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** Stores a verified Twilio status callback, then records it against its CallSid. */
@Service
public class TwilioIngest {

    static final String STATUS_CALLBACK = "call-status";
    private static final DateTimeFormatter RFC_2822_WITHOUT_WEEKDAY =
            DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private final WebhookEventLog eventLog;
    private final UsageRecorder recorder;

    TwilioIngest(WebhookEventLog eventLog, UsageRecorder recorder) {
        this.eventLog = eventLog;
        this.recorder = recorder;
    }

    public IngestResult ingest(@Nullable String contentType, Map<String, String> headers, String rawBody,
            Map<String, List<String>> form) {
        long eventId = eventLog.store("twilio", contentType, headers, rawBody.replace('\u0000', '\uFFFD'));
        return process(eventId, form);
    }

    /** Records a stored callback against its CallSid; also how finance retries a failed one. */
    IngestResult process(long eventId, Map<String, List<String>> form) {
        String callSid = first(form, "CallSid");
        try {
            TwilioCallStatus status = parse(form);
            WebhookEventStatus outcome = recorder.recordTwilioStatus(status) == RecordOutcome.RECORDED
                    ? WebhookEventStatus.PROCESSED
                    : WebhookEventStatus.DUPLICATE;
            eventLog.recordOutcome(eventId, outcome, STATUS_CALLBACK, callSid, null);
            return new IngestResult(eventId, outcome, STATUS_CALLBACK, callSid, null);
        } catch (InvalidPayloadException e) {
            eventLog.recordOutcome(eventId, WebhookEventStatus.FAILED, STATUS_CALLBACK, callSid, e.getMessage());
            return new IngestResult(eventId, WebhookEventStatus.FAILED, STATUS_CALLBACK, callSid, e.getMessage());
        }
    }

    /** A CallSid is 34 characters; anything much longer is not one. */
    static final int MAX_SID_LENGTH = 64;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    static TwilioCallStatus parse(Map<String, List<String>> form) {
        form.forEach((name, values) -> values.forEach(value -> {
            if (value.indexOf('\u0000') >= 0 || name.indexOf('\u0000') >= 0) {
                throw new InvalidPayloadException(name + " contains a NUL character");
            }
        }));
        String callSid = required(form, "CallSid");
        if (callSid.length() > MAX_SID_LENGTH) {
            throw new InvalidPayloadException("CallSid is longer than " + MAX_SID_LENGTH + " characters");
        }
        String callStatus = required(form, "CallStatus");
        return new TwilioCallStatus(callSid, first(form, "AccountSid"), callStatus, first(form, "Direction"),
                first(form, "From"), first(form, "To"), integer(form, "CallDuration"),
                integer(form, "SequenceNumber") == null ? 0 : integer(form, "SequenceNumber"), timestamp(form));
    }

    private static String required(Map<String, List<String>> form, String name) {
        String value = first(form, name);
        if (value == null) {
            throw new InvalidPayloadException("missing " + name);
        }
        return value;
    }

    private static @Nullable Integer integer(Map<String, List<String>> form, String name) {
        String value = first(form, name);
        try {
            Integer number = value == null ? null : Integer.valueOf(value);
            if (number != null && number < 0) {
                throw new InvalidPayloadException(name + " must not be negative: " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new InvalidPayloadException(name + " is not a whole number: '" + value + "'");
        }
    }

    /** RFC 2822 date; the day-of-week is ignored, since a wrong one should not lose the callback. */
    static @Nullable Instant timestamp(Map<String, List<String>> form) {
        String value = first(form, "Timestamp");
        if (value == null) {
            return null;
        }
        String withoutWeekday = value.replaceFirst("^[A-Za-z]{3},\\s*", "");
        try {
            Instant instant = ZonedDateTime.parse(withoutWeekday, RFC_2822_WITHOUT_WEEKDAY).toInstant();
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                throw new InvalidPayloadException("Timestamp is outside 2000-2199: '" + value + "'");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw new InvalidPayloadException("Timestamp is not an RFC 2822 date: '" + value + "'");
        }
    }

    private static @Nullable String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() || values.getFirst().isBlank() ? null : values.getFirst().strip();
    }
}
