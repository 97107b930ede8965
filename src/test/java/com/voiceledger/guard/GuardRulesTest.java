package com.voiceledger.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.guard.internal.ArtifactTurns;
import com.voiceledger.support.Http;
import com.voiceledger.support.Samples;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule on crafted conversations and histories, and on the platform's silence-loop sample. */
class GuardRulesTest {

    static final Instant T = Instant.parse("2026-11-03T17:13:20Z");

    static CallFacts.Turn bot(String text, long ms) {
        return new CallFacts.Turn("bot", text, ms, 1800, List.of());
    }

    static CallFacts.Turn user(String text, long ms, long duration) {
        return new CallFacts.Turn("user", text, ms, duration, List.of());
    }

    static CallFacts call(int duration, String endedReason, String type, CallFacts.Turn... turns) {
        return new CallFacts("call-1", T, duration, endedReason, "assistant-1", type, "+14155550100", List.of(turns));
    }

    @Test
    void theSilenceLoopSampleIsASilenceLoopAndAMaxDurationEnding() {
        String artifact = Http.parse(Samples.original().text(Samples.EOCR_SILENCE)).path("message").path("artifact")
                .toString();
        CallFacts facts = new CallFacts("c", T, 360, "exceeded-max-duration", "a", "inboundPhoneCall", "+1",
                ArtifactTurns.parse(artifact));
        Finding silence = GuardRules.silenceLoop(facts).orElseThrow();
        // silent from 9 s of 360 s: (360 − 9) / 360 = 0.975 of the call wasted
        assertThat(silence.evidence()).startsWith("20 empty user turns in a row from 9 s");
        assertThat(silence.wastedShare()).isEqualByComparingTo("0.975");
        assertThat(GuardRules.maxDuration(facts)).isPresent();
    }

    @Test
    void oneEmptyTurnOrEmptyTurnsWithoutPromptsAreNoSilenceLoop() {
        assertThat(GuardRules.silenceLoop(call(60, "customer-ended-call", "inboundPhoneCall",
                bot("Hi", 0), user("", 5000, 400), bot("Still there?", 9000), user("Yes, sorry", 12000, 1500),
                bot("Great", 15000), user("", 18000, 400)))).isEmpty();
        assertThat(GuardRules.silenceLoop(call(60, "customer-ended-call", "inboundPhoneCall",
                bot("Hi", 0), user("", 5000, 400), user("", 6000, 400)))).isEmpty();
    }

    @Test
    void threeUserTurnsCutShortAndAnsweredAreAnEndpointingStorm() {
        CallFacts storm = call(90, "customer-ended-call", "inboundPhoneCall",
                bot("How can I help?", 0), user("I want to change my", 3000, 1200), bot("Sure, what?", 4500),
                user("Yes", 7000, 400), bot("Okay.", 8000), user("the appointment and", 10000, 1500),
                bot("Which appointment?", 12000));
        assertThat(GuardRules.endpointingStorm(storm)).hasValueSatisfying(f ->
                assertThat(f.evidence()).startsWith("3 user turns cut short"));
        CallFacts calm = call(90, "customer-ended-call", "inboundPhoneCall",
                bot("How can I help?", 0), user("I want to change my appointment.", 3000, 2500), bot("Sure.", 6000));
        assertThat(GuardRules.endpointingStorm(calm)).isEmpty();
    }

    @Test
    void theSameToolWithTheSameArgumentsTwiceIsADuplicate() {
        CallFacts.Turn tools = new CallFacts.Turn("tool_calls", "", 1000, 0,
                List.of("find_appointment({\"phone\":\"+1\"})", "find_appointment({\"phone\":\"+1\"})",
                        "find_appointment({\"phone\":\"+2\"})"));
        assertThat(GuardRules.duplicateToolCalls(call(30, "x", "inboundPhoneCall", tools)))
                .hasValueSatisfying(f -> assertThat(f.evidence()).isEqualTo("repeated: find_appointment({\"phone\":\"+1\"}) × 2"));
    }

    @Test
    void aThirdOutboundAttemptInADayOrARetryWithinFiveMinutesIsAmplification() {
        CallFacts outbound = call(30, "customer-did-not-answer", "outboundPhoneCall");
        assertThat(GuardRules.retryAmplification(outbound, List.of(T.minusSeconds(7200)))).isEmpty();
        assertThat(GuardRules.retryAmplification(outbound, List.of(T.minusSeconds(7200), T.minusSeconds(3600))))
                .hasValueSatisfying(f -> assertThat(f.evidence()).isEqualTo("attempt 3 to +14155550100 today"));
        assertThat(GuardRules.retryAmplification(outbound, List.of(T.minusSeconds(120))))
                .hasValueSatisfying(f -> assertThat(f.evidence()).endsWith("120 s after the previous"));
        assertThat(GuardRules.retryAmplification(call(30, "x", "inboundPhoneCall"),
                List.of(T.minusSeconds(60), T.minusSeconds(30)))).isEmpty();
    }

    @Test
    void aCallLongerThanThreeTimesTheAssistantsP95IsAnOutlier() {
        // P95 100 s, limit 300 s; 400 s: (400 − 300) / 400 = 0.25 wasted
        assertThat(GuardRules.durationOutlier(call(400, "x", "inboundPhoneCall"), 100.0))
                .hasValueSatisfying(f -> assertThat(f.wastedShare()).isEqualByComparingTo("0.25"));
        assertThat(GuardRules.durationOutlier(call(300, "x", "inboundPhoneCall"), 100.0)).isEmpty();
        assertThat(GuardRules.durationOutlier(call(9000, "x", "inboundPhoneCall"), null)).isEmpty();
    }

    @Test
    void aCallChargedAboveTheThresholdIsExpensive() {
        assertThat(GuardRules.expensiveCall("c", T, new BigDecimal("0.51"), new BigDecimal("0.50"), "USD")).isPresent();
        assertThat(GuardRules.expensiveCall("c", T, new BigDecimal("0.50"), new BigDecimal("0.50"), "USD")).isEmpty();
    }
}
