package com.voiceledger.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.contract.CommitmentPeriod;
import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.contract.UnitGrant;
import com.voiceledger.rating.GrantDrawing.Bucket;
import com.voiceledger.rating.GrantDrawing.Draw;
import com.voiceledger.shared.BadRequestException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BILLING-RULES §7 against hand-worked examples; the arithmetic is written beside each expectation. */
class GrantDrawingTest {

    static final LocalDate NOV = LocalDate.of(2026, 11, 1);

    static UnitGrant grant(String layer, String provider, String model, String unit, String amount,
            CommitmentPeriod period, UnitGrant.Rollover rollover) {
        return new UnitGrant(layer, provider, model, unit, new BigDecimal(amount), period, rollover);
    }

    static UnitGrant minutes(String provider, String model, String amount) {
        return grant("stt", provider, model, "minute", amount, CommitmentPeriod.MONTH, null);
    }

    static Bucket own(UnitGrant grant, int order, String remaining) {
        return new Bucket(grant, order, NOV, false, grant.amount(), new BigDecimal(remaining));
    }

    static Bucket rolled(UnitGrant grant, int order, String units, String remaining) {
        return new Bucket(grant, order, NOV, true, new BigDecimal(units), new BigDecimal(remaining));
    }

    static CallToRate.Component component(int seq, String layer, String provider, String model, String unit,
            String quantity) {
        return new CallToRate.Component(seq, layer, provider, model, unit, new BigDecimal(quantity));
    }

    static String draws(List<Draw> draws) {
        return String.join("; ", draws.stream().map(d -> d.seq() + " " + d.grantId() + (d.rolledOver() ? " (rolled)" : "")
                + " " + d.units().toPlainString()).toList());
    }

    static Stream<Arguments> examples() {
        UnitGrant exact = minutes("deepgram", "nova-3", "100");
        UnitGrant anyModel = minutes("deepgram", "*", "50");
        UnitGrant anything = minutes("*", "*", "30");
        UnitGrant prompt = grant("llm", "openai", "gpt-4o", "prompt_token", "1000", CommitmentPeriod.QUARTER, null);
        UnitGrant yearly = grant("stt", "deepgram", "nova-3", "minute", "500", CommitmentPeriod.YEAR, null);
        return Stream.of(
                // 3.2 min, 100 left: min(100, 3.2) = 3.2 drawn, nothing priced
                Arguments.of("a small call is covered entirely", List.of(own(exact, 0, "100")),
                        List.of(component(0, "stt", "deepgram", "nova-3", "minute", "3.2")),
                        "0 stt:deepgram:nova-3:minute:MONTH 3.2"),
                // 12 min, 10.5 left: min(10.5, 12) = 10.5 drawn, 1.5 priced
                Arguments.of("only what is left is drawn; the rest is priced", List.of(own(exact, 0, "10.5")),
                        List.of(component(0, "stt", "deepgram", "nova-3", "minute", "12")),
                        "0 stt:deepgram:nova-3:minute:MONTH 10.5"),
                // exact model before provider/* before */*, whatever their order in the contract
                Arguments.of("the most specific grant is drawn first, then the wider ones",
                        List.of(own(anything, 0, "30"), own(anyModel, 1, "50"), own(exact, 2, "100")),
                        List.of(component(0, "stt", "deepgram", "nova-3", "minute", "170")),
                        "0 stt:deepgram:nova-3:minute:MONTH 100; 0 stt:deepgram:*:minute:MONTH 50; "
                                + "0 stt:*:*:minute:MONTH 20"),
                // rolled-over 20 (12 left) before this period's 100
                Arguments.of("rolled-over units are drawn before the period's own",
                        List.of(own(exact, 0, "100"), rolled(exact, 0, "20", "12")),
                        List.of(component(0, "stt", "deepgram", "nova-3", "minute", "15")),
                        "0 stt:deepgram:nova-3:minute:MONTH (rolled) 12; 0 stt:deepgram:nova-3:minute:MONTH 3"),
                // two grants of the same specificity: the one created first (order 0) first
                Arguments.of("between equally specific grants the older one is drawn first",
                        List.of(own(yearly, 1, "500"), own(exact, 0, "4")),
                        List.of(component(0, "stt", "deepgram", "nova-3", "minute", "6")),
                        "0 stt:deepgram:nova-3:minute:MONTH 4; 0 stt:deepgram:nova-3:minute:YEAR 2"),
                // prompt_token grant: cached_prompt_token is another unit, completion too
                Arguments.of("a grant covers only its own unit", List.of(own(prompt, 0, "1000")),
                        List.of(component(0, "llm", "openai", "gpt-4o", "prompt_token", "8754"),
                                component(1, "llm", "openai", "gpt-4o", "cached_prompt_token", "4096"),
                                component(2, "llm", "openai", "gpt-4o", "completion_token", "740")),
                        "0 llm:openai:gpt-4o:prompt_token:QUARTER 1000"),
                // a call's components draw one after the other: the first takes 60 of 100, the second the last 40
                Arguments.of("a call's components draw in turn from what the ones before them left",
                        List.of(own(exact, 0, "100")),
                        List.of(component(0, "stt", "deepgram", "nova-3", "minute", "60"),
                                component(1, "stt", "deepgram", "nova-3", "minute", "60")),
                        "0 stt:deepgram:nova-3:minute:MONTH 60; 1 stt:deepgram:nova-3:minute:MONTH 40"),
                Arguments.of("an empty grant gives nothing", List.of(own(exact, 0, "0")),
                        List.of(component(0, "stt", "deepgram", "nova-3", "minute", "3")), ""),
                Arguments.of("another provider's grant gives nothing", List.of(own(exact, 0, "100")),
                        List.of(component(0, "stt", "assembly-ai", "best", "minute", "3")), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void drawsAsTheRulesSay(String name, List<Bucket> buckets, List<CallToRate.Component> components,
            String expected) {
        assertThat(draws(GrantDrawing.draw(components, buckets))).isEqualTo(expected);
    }

    @Test
    void onlyTheRestIsPricedWithTheMarkup() {
        // 12 min at 0.0048 + 25 % markup = 0.006/min; grant left 10.5: (12 − 10.5) × 0.006 = 0.009
        ContractTerms terms = new ContractTerms(PricingModel.RATE_CARD, Map.of("stt", new BigDecimal("25")),
                List.of(), null, null, 60, null, null, null, null);
        Contract contract = new Contract(7, RaterTest.contract(terms).customerId(), RaterTest.T, "USD", terms, "test",
                "finance", RaterTest.T);
        CallToRate call = new CallToRate("call-1", RaterTest.T, 720, List.of(
                component(0, "stt", "deepgram", "nova-3", "minute", "12"),
                component(1, "platform", "vapi", "normal", "minute", "12")));
        RatedCall rated = Rater.rate(call, RaterTest.CARD, contract, "USD");
        List<Draw> drawn = GrantDrawing.draw(call.components(),
                List.of(own(minutes("deepgram", "nova-3", "100"), 0, "10.5")));
        RatedCall rest = GrantDrawing.apply(rated, call, drawn);
        assertThat(rest.components().get(0).charge()).isEqualByComparingTo("0.009");
        // platform untouched: 12 × 0.05 = 0.6; call: 0.009 + 0.6 = 0.609
        assertThat(rest.components().get(1).charge()).isEqualByComparingTo("0.6");
        assertThat(rest.charge()).isEqualByComparingTo("0.609");
    }

    @Test
    void rolloverKeepsTheUnusedUnitsUpToItsCap() {
        UnitGrant capped = grant("stt", "deepgram", "*", "minute", "1000", CommitmentPeriod.MONTH,
                new UnitGrant.Rollover(new BigDecimal("200"), null));
        // 1000 − 700 = 300 unused, cap 200 → 200; 1000 − 900 = 100 unused → 100
        assertThat(GrantDrawing.rollover(capped, new BigDecimal("700"))).isEqualByComparingTo("200");
        assertThat(GrantDrawing.rollover(capped, new BigDecimal("900"))).isEqualByComparingTo("100");
        UnitGrant share = grant("llm", "openai", "gpt-4o", "prompt_token", "20000000", CommitmentPeriod.QUARTER,
                new UnitGrant.Rollover(null, new BigDecimal("0.20")));
        // 20M − 12M = 8M unused, cap 20 % of 20M = 4M → 4M
        assertThat(GrantDrawing.rollover(share, new BigDecimal("12000000"))).isEqualByComparingTo("4000000");
        // overdrawn (never below 0) and no rollover at all
        assertThat(GrantDrawing.rollover(share, new BigDecimal("21000000"))).isEqualByComparingTo("0");
        assertThat(GrantDrawing.rollover(minutes("deepgram", "*", "10"), BigDecimal.ZERO)).isEqualByComparingTo("0");
    }

    @Test
    void periodsAreCalendarMonthsQuartersAndYears() {
        LocalDate day = LocalDate.of(2026, 8, 17);
        assertThat(GrantDrawing.periodStart(day, CommitmentPeriod.MONTH)).isEqualTo("2026-08-01");
        assertThat(GrantDrawing.periodStart(day, CommitmentPeriod.QUARTER)).isEqualTo("2026-07-01");
        assertThat(GrantDrawing.periodStart(day, CommitmentPeriod.YEAR)).isEqualTo("2026-01-01");
        assertThat(GrantDrawing.previousPeriod(LocalDate.of(2026, 1, 1), CommitmentPeriod.QUARTER))
                .isEqualTo("2025-10-01");
        assertThat(GrantDrawing.nextPeriod(LocalDate.of(2026, 10, 1), CommitmentPeriod.QUARTER))
                .isEqualTo("2027-01-01");
    }

    @Test
    void aGrantThatCannotBeDrawnIsRefusedWithAReason() {
        assertThatThrownBy(() -> minutes("*", "nova-3", "10")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("any model");
        assertThatThrownBy(() -> minutes("deepgram", "*", "0")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> new UnitGrant.Rollover(new BigDecimal("5"), new BigDecimal("0.1")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("either");
        assertThatThrownBy(() -> new UnitGrant.Rollover(null, new BigDecimal("1.5")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("maxShare");
        // the positive control: the same grant with a valid rollover is accepted
        assertThat(grant("stt", "deepgram", "*", "minute", "10", CommitmentPeriod.MONTH,
                new UnitGrant.Rollover(null, new BigDecimal("0.5"))).rolloverCap()).isEqualByComparingTo("5");
    }
}
