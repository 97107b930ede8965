package com.voiceledger.ingestion.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.support.Http;
import com.voiceledger.support.Samples;
import com.voiceledger.usage.UsageComponent;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** BILLING-RULES §1, checked against the samples and hand-made entries. */
class VapiCostMapperTest {

    private static List<UsageComponent> componentsOf(String sample) {
        JsonNode message = Http.parse(Samples.original().text(sample)).path("message");
        return VapiCostMapper.components(message.path("costs"));
    }

    private static List<String> describe(List<UsageComponent> components) {
        return components.stream().map(c -> String.join(" ", c.layer(), c.provider(), c.model(), c.unit(),
                c.quantity().toPlainString())).toList();
    }

    @Test
    void theMainSampleBecomesOneComponentPerLayerAndTokenKindWithTheExactQuantities() {
        assertThat(describe(componentsOf(Samples.EOCR))).containsExactly(
                "telephony twilio - minute 3.2",
                "stt deepgram nova-3 minute 3.2",
                // 12850 prompt tokens of which 4096 cached: 12850 - 4096 = 8754 at the prompt rate
                "llm openai gpt-4o prompt_token 8754",
                "llm openai gpt-4o cached_prompt_token 4096",
                "llm openai gpt-4o completion_token 740",
                "tts 11labs eleven_flash_v2_5 character 1830",
                "platform vapi normal minute 3.2",
                "analysis openai gpt-4o prompt_token 1400",
                "analysis openai gpt-4o completion_token 120");
    }

    @Test
    void theSilenceLoopSampleHasNoCachedComponentBecauseZeroQuantitiesMakeNone() {
        assertThat(describe(componentsOf(Samples.EOCR_SILENCE))).containsExactly(
                "telephony twilio - minute 6.0",
                "stt deepgram nova-3 minute 6.0",
                "llm openai gpt-4o-mini prompt_token 96000",
                "llm openai gpt-4o-mini completion_token 1400",
                "tts cartesia sonic-2 character 400",
                "platform vapi normal minute 6.0");
    }

    @Test
    void aCallThatNeverConnectedHasNoComponents() {
        assertThat(componentsOf(Samples.EOCR_NOT_ANSWERED)).isEmpty();
    }

    @Test
    void componentsOfOneEntrySumExactlyToItsReportedCost() {
        List<UsageComponent> llm = componentsOf(Samples.EOCR).stream().filter(c -> c.layer().equals("llm")).toList();
        BigDecimal sum = llm.stream().map(UsageComponent::providerCost).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualByComparingTo("0.039525");
        BigDecimal all = componentsOf(Samples.EOCR).stream().map(UsageComponent::providerCost)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        // 0.0272 + 0.01536 + 0.039525 + 0.0915 + 0.16 + 0.0047 = the report's cost
        assertThat(all).isEqualByComparingTo("0.338285");
    }

    static Stream<Arguments> entries() {
        return Stream.of(
                Arguments.of("voice without a model uses the voiceId",
                        "{\"type\":\"voice\",\"voice\":{\"provider\":\"cartesia\",\"voiceId\":\"v-1\"},\"characters\":10,\"cost\":0.001}",
                        List.of("tts cartesia v-1 character 10")),
                Arguments.of("the platform's subType is its model",
                        "{\"type\":\"vapi\",\"subType\":\"overage\",\"minutes\":1.5,\"cost\":0.07}",
                        List.of("platform vapi overage minute 1.5")),
                Arguments.of("an unknown type is kept as other, with the quantities it gives",
                        "{\"type\":\"coach\",\"model\":{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"},\"promptTokens\":50,\"completionTokens\":5,\"cost\":0.0001}",
                        List.of("other openai gpt-4o-mini completion_token 5", "other openai gpt-4o-mini prompt_token 50")),
                Arguments.of("knowledge-base queries are tokens of their model",
                        "{\"type\":\"knowledge-base\",\"model\":{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"},\"promptTokens\":50,\"completionTokens\":5,\"cost\":0.0001}",
                        List.of("llm openai gpt-4o-mini prompt_token 50", "llm openai gpt-4o-mini completion_token 5")),
                Arguments.of("decimals keep every digit (never through double)",
                        "{\"type\":\"transport\",\"provider\":\"twilio\",\"minutes\":0.1000000000000000055511151231257827,\"cost\":0}",
                        List.of("telephony twilio - minute 0.1000000000000000055511151231257827")),
                Arguments.of("a model entry with every prompt token cached has no prompt_token component",
                        "{\"type\":\"model\",\"model\":{\"provider\":\"openai\",\"model\":\"gpt-4o\"},\"promptTokens\":100,\"cachedPromptTokens\":100,\"completionTokens\":0,\"cost\":0.0001}",
                        List.of("llm openai gpt-4o cached_prompt_token 100")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void mapsEachKindOfEntry(String why, String entry, List<String> expected) {
        JsonNode costs = Http.parse("[" + entry + "]");
        assertThat(describe(VapiCostMapper.components(costs))).containsExactlyElementsOf(expected);
    }

    @Test
    void aQuantityThatIsNotANumberIsRejectedWithItsName() {
        assertThatThrownBy(() -> VapiCostMapper.components(Http.parse("[{\"type\":\"transport\",\"minutes\":\"lots\"}]")))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("minutes");
    }
}
