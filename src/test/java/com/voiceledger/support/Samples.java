package com.voiceledger.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The platform's sample payloads (copied from shared/samples), with their ids replaceable so that
 * every test gets its own calls and customers in the shared database.
 */
public final class Samples {

    public static final String EOCR = "vapi-end-of-call-report.json";
    public static final String EOCR_SILENCE = "vapi-end-of-call-report-silence-loop.json";
    public static final String EOCR_NOT_ANSWERED = "vapi-end-of-call-report-not-answered.json";
    public static final String STATUS_UPDATE = "vapi-status-update.json";
    public static final String TOOL_CALLS = "vapi-tool-calls.json";
    public static final String ASSISTANT_REQUEST = "vapi-assistant-request.json";
    public static final String TWILIO_STATUS = "twilio-status-callback.txt";

    /** Call ids, CallSids and customer keys used in the samples. */
    public static final String MAIN_CALL_ID = "3f2b8c1e-6a4d-4f0e-9b1a-7c5d2e8f9a01";
    public static final String MAIN_CALL_SID = "CA9f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public static final String SILENCE_CALL_ID = "c4d5e6f7-0812-4a3b-9c4d-5e6f70819203";
    public static final String NOT_ANSWERED_CALL_ID = "b8e1d2f3-4a5b-4c6d-8e7f-901a2b3c4d5e";
    public static final String ACME = "acme-health";
    public static final String GLOBEX = "globex-insurance";

    private final Map<String, String> replacements = new LinkedHashMap<>();

    /** A fresh set of ids: every sample read through it gets the same, new, unique ids. */
    public static Samples fresh() {
        Samples samples = new Samples();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        samples.replacements.put(MAIN_CALL_ID, UUID.randomUUID().toString());
        samples.replacements.put(SILENCE_CALL_ID, UUID.randomUUID().toString());
        samples.replacements.put(NOT_ANSWERED_CALL_ID, UUID.randomUUID().toString());
        samples.replacements.put("e6f7a8b9-0c1d-4e2f-8a3b-4c5d6e7f8091", UUID.randomUUID().toString());
        samples.replacements.put(MAIN_CALL_SID, "CA" + UUID.randomUUID().toString().replace("-", ""));
        samples.replacements.put("CAc3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8", "CA" + UUID.randomUUID().toString().replace("-", ""));
        samples.replacements.put("CAb1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6", "CA" + UUID.randomUUID().toString().replace("-", ""));
        samples.replacements.put(ACME, ACME + "-" + suffix);
        samples.replacements.put(GLOBEX, GLOBEX + "-" + suffix);
        samples.replacements.put("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13", "asst-main-" + suffix);
        samples.replacements.put("d2e3f4a5-6b7c-4d8e-9f0a-1b2c3d4e5f60", "asst-silence-" + suffix);
        samples.replacements.put("p7d3a9b1-2c4e-4f6a-8b0d-1e3f5a7c9b25", "phone-" + suffix);
        samples.replacements.put("0b7e4d2c-91aa-4c55-8f3e-2d6a1b9c7e44", "org-" + suffix);
        return samples;
    }

    /** The same calls moved to another day (the samples' calls are on 2026-11-03 UTC). */
    public Samples onDay(java.time.LocalDate day) {
        replacements.put("2026-11-03T", day + "T");
        return this;
    }

    /** The ids exactly as in the files. */
    public static Samples original() {
        return new Samples();
    }

    public String id(String original) {
        return replacements.getOrDefault(original, original);
    }

    public String text(String name) {
        String text = raw(name);
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            text = text.replace(replacement.getKey(), replacement.getValue());
        }
        return text;
    }

    /** The Twilio sample's form body (its comment lines dropped). */
    public String twilioForm() {
        return text(TWILIO_STATUS).lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .reduce("", String::concat);
    }

    private static String raw(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
