package com.voiceledger.ingestion;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code application/x-www-form-urlencoded} bodies, decoded as Twilio sends them. */
final class TwilioForms {

    private TwilioForms() {
    }

    /** Names to values in order; throws IllegalArgumentException on broken percent-encoding. */
    static Map<String, List<String>> parse(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return form;
    }
}
