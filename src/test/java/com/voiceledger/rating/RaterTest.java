package com.voiceledger.rating;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.ratecard.RateCardVersion;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BILLING-RULES §2–3 against hand-worked examples; the arithmetic is written beside each expectation. */
class RaterTest {

    static final Instant T = Instant.parse("2026-11-03T14:05:12Z");

    static final RateCardVersion CARD = new RateCardVersion(3, Instant.parse("2026-11-01T00:00:00Z"), "USD", "test",
            "finance", T, List.of(
                    entry("telephony", "twilio", "*", "minute", "0.0085"),
                    entry("stt", "deepgram", "nova-3", "minute", "0.0048"),
                    entry("stt", "*", "*", "minute", "0.01"),
                    entry("llm", "openai", "gpt-4o", "prompt_token", "0.0000025"),
                    entry("llm", "openai", "gpt-4o", "completion_token", "0.00001"),
                    entry("llm", "openai", "gpt-4o-mini", "prompt_token", "0.00000015"),
                    entry("llm", "openai", "gpt-4o-mini", "cached_prompt_token", "0.00000008"),
                    entry("tts", "11labs", "*", "character", "0.00005"),
                    entry("platform", "vapi", "*", "minute", "0.05")));

    static RateEntry entry(String layer, String provider, String model, String unit, String price) {
        return new RateEntry(layer, provider, model, unit, new BigDecimal(price));
    }

    static CallToRate.Component component(String layer, String provider, String model, String unit, String quantity) {
        return new CallToRate.Component(0, layer, provider, model, unit, new BigDecimal(quantity));
    }

    static CallToRate call(int durationSeconds, CallToRate.Component... components) {
        return new CallToRate("call-1", T, durationSeconds, List.of(components));
    }

    static Contract contract(ContractTerms terms) {
        return new Contract(7, CustomerId.of(1), Instant.parse("2026-01-01T00:00:00Z"), "USD", terms, "test", "finance", T);
    }

    static Contract costPlus(Map<String, BigDecimal> markup, List<RateEntry> overrides) {
        return contract(new ContractTerms(PricingModel.RATE_CARD, markup, overrides, null, null, 60, null, null, null, null));
    }

    static Contract perMinute(String rate, String minimum, int increment) {
        return contract(new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(), new BigDecimal(rate),
                new BigDecimal(minimum), increment, null, null, null, null));
    }

    static Stream<Arguments> rateCardExamples() {
        Contract markup20 = costPlus(Map.of("llm", new BigDecimal("20")), List.of());
        Contract override = costPlus(Map.of(), List.of(entry("llm", "openai", "gpt-4o", "prompt_token", "0.000002")));
        Contract overrideAndMarkup = costPlus(Map.of("llm", new BigDecimal("20")),
                List.of(entry("llm", "openai", "gpt-4o", "prompt_token", "0.000002")));
        Contract providerWideOverride = costPlus(Map.of(), List.of(entry("tts", "11labs", "*", "character", "0.00003")));
        return Stream.of(
                Arguments.of("list price with no contract: 3.2 min × 0.0085",
                        null, component("telephony", "twilio", "-", "minute", "3.2"),
                        "0.0085", "0.0272", "rate card v3: telephony twilio * minute"),
                Arguments.of("exact model match: 3.2 min × 0.0048",
                        null, component("stt", "deepgram", "nova-3", "minute", "3.2"),
                        "0.0048", "0.01536", "rate card v3: stt deepgram nova-3 minute"),
                Arguments.of("*/* when neither model nor provider matches: 2 min × 0.01",
                        null, component("stt", "assemblyai", "best", "minute", "2"),
                        "0.01", "0.02", "rate card v3: stt * * minute"),
                Arguments.of("provider/* for any model of the provider: 1830 chars × 0.00005",
                        null, component("tts", "11labs", "eleven_flash_v2_5", "character", "1830"),
                        "0.00005", "0.0915", "rate card v3: tts 11labs * character"),
                Arguments.of("cached tokens without a cached price take the prompt price: 4096 × 0.0000025",
                        null, component("llm", "openai", "gpt-4o", "cached_prompt_token", "4096"),
                        "0.0000025", "0.01024", "rate card v3: llm openai gpt-4o prompt_token (prompt price: no cached price)"),
                Arguments.of("cached tokens with a cached price: 4096 × 0.00000008",
                        null, component("llm", "openai", "gpt-4o-mini", "cached_prompt_token", "4096"),
                        "0.00000008", "0.00032768", "rate card v3: llm openai gpt-4o-mini cached_prompt_token"),
                Arguments.of("markup of the layer: 8754 × 0.0000025 × 1.20",
                        markup20, component("llm", "openai", "gpt-4o", "prompt_token", "8754"),
                        "0.0000025", "0.026262",
                        "rate card v3: llm openai gpt-4o prompt_token + 20 % llm markup (contract 7)"),
                Arguments.of("markup of another layer does not apply: 3.2 × 0.05",
                        markup20, component("platform", "vapi", "normal", "minute", "3.2"),
                        "0.05", "0.16", "rate card v3: platform vapi * minute"),
                Arguments.of("override beats the rate card: 8754 × 0.000002",
                        override, component("llm", "openai", "gpt-4o", "prompt_token", "8754"),
                        "0.000002", "0.017508", "contract 7: override llm openai gpt-4o prompt_token"),
                Arguments.of("override then markup: 8754 × 0.000002 × 1.20",
                        overrideAndMarkup, component("llm", "openai", "gpt-4o", "prompt_token", "8754"),
                        "0.000002", "0.0210096",
                        "contract 7: override llm openai gpt-4o prompt_token + 20 % llm markup (contract 7)"),
                Arguments.of("a provider-wide override beats an exact rate card model: 1830 × 0.00003",
                        providerWideOverride, component("tts", "11labs", "eleven_flash_v2_5", "character", "1830"),
                        "0.00003", "0.0549", "contract 7: override tts 11labs * character"),
                Arguments.of("an override for prompt tokens prices cached ones when no cached price exists: 4096 × 0.000002",
                        override, component("llm", "openai", "gpt-4o", "cached_prompt_token", "4096"),
                        "0.000002", "0.008192",
                        "contract 7: override llm openai gpt-4o prompt_token (prompt price: no cached price)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rateCardExamples")
    void pricesAComponentOnTheRateCard(String example, Contract contract, CallToRate.Component component,
            String unitPrice, String charge, String source) {
        RatedCall rated = Rater.rate(call(192, component), CARD, contract, "USD");
        RatedCall.Component result = rated.components().getFirst();
        assertThat(result.unitPrice()).isEqualByComparingTo(unitPrice);
        assertThat(result.charge()).isEqualByComparingTo(charge);
        assertThat(result.rateSource()).isEqualTo(source);
        assertThat(result.unpriced()).isFalse();
        assertThat(rated.charge()).isEqualByComparingTo(charge);
    }

    @Test
    void theCallChargeIsTheSumOfItsComponentsAtFullPrecision() {
        RatedCall rated = Rater.rate(call(192,
                component("telephony", "twilio", "-", "minute", "3.2"),
                component("llm", "openai", "gpt-4o", "prompt_token", "8754"),
                component("llm", "openai", "gpt-4o", "completion_token", "740")), CARD, null, "USD");
        // 0.0272 + 0.021885 + 0.0074 = 0.056485
        assertThat(rated.charge()).isEqualByComparingTo("0.056485");
        assertThat(rated.rateVersion()).isEqualTo(3);
        assertThat(rated.rateSource()).isEqualTo("rate card v3, list prices");
    }

    @Test
    void aComponentWithoutAPriceIsUnpricedAtZeroAndFlagsTheCall() {
        RatedCall rated = Rater.rate(call(192,
                component("telephony", "twilio", "-", "minute", "3.2"),
                component("other", "acme-kb", "-", "token", "500")), CARD, null, "USD");
        assertThat(rated.unpriced()).isTrue();
        assertThat(rated.charge()).isEqualByComparingTo("0.0272");
        RatedCall.Component missing = rated.components().get(1);
        assertThat(missing.unpriced()).isTrue();
        assertThat(missing.charge()).isZero();
        assertThat(missing.unitPrice()).isNull();
        assertThat(missing.rateSource()).isEqualTo("unpriced: rate card v3 has no price for other acme-kb - token");
    }

    @Test
    void withNoRateCardInForceEverythingIsUnpriced() {
        RatedCall rated = Rater.rate(call(10, component("stt", "deepgram", "nova-3", "minute", "1")), null, null, "USD");
        assertThat(rated.unpriced()).isTrue();
        assertThat(rated.components().getFirst().rateSource()).startsWith("unpriced: no rate card in force");
    }

    @Test
    void aCustomerBillingInAnotherCurrencyIsNotPricedFromTheRateCardButFromItsOverrides() {
        Contract euroOverrides = costPlus(Map.of(), List.of(entry("stt", "*", "*", "minute", "0.009")));
        RatedCall rated = Rater.rate(call(60,
                component("stt", "deepgram", "nova-3", "minute", "1"),
                component("platform", "vapi", "normal", "minute", "1")), CARD, euroOverrides, "EUR");
        assertThat(rated.components().get(0).charge()).isEqualByComparingTo("0.009");
        assertThat(rated.components().get(1).unpriced()).isTrue();
        assertThat(rated.components().get(1).rateSource()).contains("is in USD, the customer bills in EUR");
    }

    static Stream<Arguments> perMinuteExamples() {
        return Stream.of(
                Arguments.of("192 s in 60 s increments = 240 s = 4 min × 0.12", 192, "0.12", "0.25", 60, 240, "0.48", "0"),
                Arguments.of("20 s → 60 s → 0.12, topped up to the 0.25 minimum", 20, "0.12", "0.25", 60, 60, "0.25", "0.13"),
                Arguments.of("61 s per second: 61 × 0.12 / 60 = 0.122", 61, "0.12", "0", 1, 61, "0.122", "0"),
                Arguments.of("61 s in 30 s increments = 90 s = 1.5 min × 0.12", 61, "0.12", "0", 30, 90, "0.18", "0"),
                Arguments.of("exactly 120 s stays 2 min × 0.10", 120, "0.10", "0", 60, 120, "0.2", "0"),
                Arguments.of("7 s per second at 0.07: 7 × 0.07 / 60 = 0.008166666667 (12 decimals)", 7, "0.07", "0", 1, 7,
                        "0.008166666667", "0"),
                Arguments.of("a call that never connected costs nothing, minimum or not", 0, "0.12", "0.25", 60, 0, "0", "0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perMinuteExamples")
    void pricesAPerMinuteCall(String example, int duration, String rate, String minimum, int increment,
            int billableSeconds, String charge, String topUp) {
        RatedCall rated = Rater.rate(call(duration, component("llm", "openai", "gpt-4o", "prompt_token", "1000")), CARD,
                perMinute(rate, minimum, increment), "USD");
        assertThat(rated.pricingModel()).isEqualTo(PricingModel.PER_MINUTE);
        assertThat(rated.billableSeconds()).isEqualTo(billableSeconds);
        assertThat(rated.charge()).isEqualByComparingTo(charge);
        assertThat(rated.minimumTopUp()).isEqualByComparingTo(topUp);
        assertThat(rated.components().getFirst().charge()).isZero();
        assertThat(rated.unpriced()).isFalse();
    }

    @Test
    void aFractionalMarkupGivesTheHandWorkedChargeEveryTime() {
        CallToRate call = call(192, component("llm", "openai", "gpt-4o", "prompt_token", "8754"));
        Contract contract = costPlus(Map.of("llm", new BigDecimal("12.5")), List.of());
        // 0.0000025 (list) × 1.125 = 0.0000028125 a token; × 8754 = 0.024620625, kept to the last digit (rounding
        // happens once per invoice line); the same inputs give it again
        for (int time = 0; time < 2; time++) {
            RatedCall rated = Rater.rate(call, CARD, contract, "USD");
            assertThat(rated.components().getFirst().unitPrice()).isEqualByComparingTo("0.0000025"); // the list price
            assertThat(rated.components().getFirst().charge()).isEqualByComparingTo("0.024620625");
            assertThat(rated.charge()).isEqualByComparingTo("0.024620625");
        }
    }
}
