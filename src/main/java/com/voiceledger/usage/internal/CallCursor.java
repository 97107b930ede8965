package com.voiceledger.usage.internal;

import com.voiceledger.shared.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Keyset position in a newest-first calls list: the last row's time and id, opaque to clients. */
public record CallCursor(Instant callTime, String callId) {

    public String encode() {
        String raw = callTime.getEpochSecond() + ":" + callTime.getNano() + ":" + callId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static CallCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 3);
            return new CallCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), parts[2]);
        } catch (RuntimeException e) {
            throw new BadRequestException("cursor is not one this API returned");
        }
    }
}
