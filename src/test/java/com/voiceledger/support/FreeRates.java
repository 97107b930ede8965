package com.voiceledger.support;

import com.voiceledger.ratecard.RateEntry;
import java.math.BigDecimal;
import java.util.List;

/**
 * Zero prices for every layer of the sample end-of-call report, so that a test can price only the
 * layers its arithmetic is about and still have its calls fully priced: a call with an unpriced
 * layer stays off a closed invoice until it is priced (decision 0037).
 */
public final class FreeRates {

    private static final String[][] ENTRIES = {
        {"stt", "minute"}, {"llm", "prompt_token"}, {"llm", "cached_prompt_token"}, {"llm", "completion_token"},
        {"tts", "character"}, {"analysis", "prompt_token"}, {"analysis", "completion_token"},
        {"telephony", "minute"}, {"platform", "minute"},
    };

    private FreeRates() {
    }

    /** The zero entries for every layer except those named, as rate card JSON entries (no brackets). */
    public static String json(String... except) {
        StringBuilder json = new StringBuilder();
        for (String[] entry : ENTRIES) {
            if (List.of(except).contains(entry[0])) {
                continue;
            }
            json.append(json.isEmpty() ? "" : ",").append("{\"layer\":\"").append(entry[0])
                    .append("\",\"provider\":\"*\",\"model\":\"*\",\"unit\":\"").append(entry[1])
                    .append("\",\"unitPrice\":\"0\"}");
        }
        return json.toString();
    }

    /** The same as rate entries. */
    public static List<RateEntry> entries(String... except) {
        return java.util.Arrays.stream(ENTRIES).filter(entry -> !List.of(except).contains(entry[0]))
                .map(entry -> new RateEntry(entry[0], "*", "*", entry[1], BigDecimal.ZERO)).toList();
    }
}
