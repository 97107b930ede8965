package com.voiceledger.demo;

import com.voiceledger.ratecard.RateEntry;
import java.math.BigDecimal;
import java.util.List;

/**
 * The reference list prices of shared/vapi-webhooks.md §4, per unit (tokens: per 1M / 10^6): the demo's
 * first rate card version, and the benchmarks' data sets.
 */
public final class ReferencePrices {

    private ReferencePrices() {
    }

    public static List<RateEntry> all() {
        return List.of(
                price("platform", "vapi", "*", "minute", "0.05"),
                price("stt", "deepgram", "*", "minute", "0.0048"),
                price("llm", "openai", "gpt-4o", "prompt_token", "0.0000025"),
                price("llm", "openai", "gpt-4o", "cached_prompt_token", "0.00000125"),
                price("llm", "openai", "gpt-4o", "completion_token", "0.00001"),
                price("llm", "openai", "gpt-4o-mini", "prompt_token", "0.00000015"),
                price("llm", "openai", "gpt-4o-mini", "cached_prompt_token", "0.00000008"),
                price("llm", "openai", "gpt-4o-mini", "completion_token", "0.0000006"),
                price("llm", "anthropic", "*", "prompt_token", "0.000003"),
                price("llm", "anthropic", "*", "completion_token", "0.000015"),
                price("analysis", "openai", "gpt-4o", "prompt_token", "0.0000025"),
                price("analysis", "openai", "gpt-4o", "completion_token", "0.00001"),
                price("tts", "11labs", "*", "character", "0.00005"),
                price("tts", "11labs", "eleven_multilingual_v2", "character", "0.0001"),
                price("tts", "cartesia", "*", "character", "0.000038"),
                price("telephony", "twilio", "*", "minute", "0.0085"));
    }

    private static RateEntry price(String layer, String provider, String model, String unit, String price) {
        return new RateEntry(layer, provider, model, unit, new BigDecimal(price));
    }
}
