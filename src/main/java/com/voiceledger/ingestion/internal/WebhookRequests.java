package com.voiceledger.ingestion.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reading webhook requests safely: bounded bodies, and headers without the credentials in them. */
public final class WebhookRequests {

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "x-vapi-secret", "cookie",
            "x-twilio-signature", "x-signature");

    private WebhookRequests() {
    }

    /** The raw body, or {@link BodyTooLargeException} as soon as it passes {@code maxBytes}. */
    public static byte[] body(HttpServletRequest request, int maxBytes) throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw new BodyTooLargeException(maxBytes);
            }
            return body;
        }
    }

    /** Headers worth keeping for inspection; credentials are replaced by a marker. */
    public static Map<String, String> headersForLog(HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            headers.put(lower, SECRET_HEADERS.contains(lower) ? "(redacted)" : request.getHeader(name));
        }
        return headers;
    }

    public static boolean hasMediaType(HttpServletRequest request, String mediaType) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        String base = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return base.equals(mediaType);
    }

    /** The body was larger than allowed. */
    public static final class BodyTooLargeException extends RuntimeException {

        public BodyTooLargeException(int maxBytes) {
            super("body is larger than the limit of " + maxBytes + " bytes");
        }
    }
}
