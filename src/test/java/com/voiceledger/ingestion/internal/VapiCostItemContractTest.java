package com.voiceledger.ingestion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.support.Http;
import com.voiceledger.usage.UsageComponent;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract between the platform's published server SDK and {@link VapiCostMapper}: every type of cost
 * item the SDK defines, and every quantity field of each, leaves a component with its own unit and the
 * item's cost; unknown shapes keep their cost (docs/decisions/0042-every-cost-item-kept.md).
 *
 * <p>The table below is written from the SDK's definition of an end-of-call report's cost items, the
 * discriminated union {@code CallCostsItem} (cases transport, transcriber, model, voice, vapi,
 * voicemail-detection, analysis, knowledge-base) in VapiAI/server-sdk-swift,
 * {@code Sources/Schemas/CallCostsItem.swift} (commit 5f89d54d977f), and its standalone
 * {@code Sources/Schemas/VoicemailDetectionCost.swift}: each case's numeric fields other than {@code cost}.
 * {@code cachedPromptTokens} on {@code model} is not in that SDK but the platform sends it
 * (shared/vapi-webhooks.md), so it is listed too.
 */
class VapiCostItemContractTest {

    /** One SDK cost item type: the JSON of its non-quantity fields, and each quantity field with the unit it becomes. */
    private record SdkType(String type, String layer, String descriptor, Map<String, String> quantityUnits) {
    }

    private static Map<String, String> units(String... fieldUnitPairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < fieldUnitPairs.length; i += 2) {
            map.put(fieldUnitPairs[i], fieldUnitPairs[i + 1]);
        }
        return map;
    }

    static final List<SdkType> SDK_COST_ITEMS = List.of(
            new SdkType("transport", "telephony", "\"provider\":\"twilio\"", units("minutes", "minute")),
            new SdkType("transcriber", "stt", "\"transcriber\":{\"provider\":\"deepgram\",\"model\":\"nova-3\"}",
                    units("minutes", "minute")),
            new SdkType("model", "llm", "\"model\":{\"provider\":\"openai\",\"model\":\"gpt-4o\"}",
                    units("promptTokens", "prompt_token", "completionTokens", "completion_token",
                            "cachedPromptTokens", "cached_prompt_token")),
            new SdkType("voice", "tts", "\"voice\":{\"provider\":\"11labs\",\"model\":\"eleven_flash_v2_5\"}",
                    units("characters", "character")),
            new SdkType("vapi", "platform", "\"subType\":\"normal\"", units("minutes", "minute")),
            new SdkType("voicemail-detection", "analysis",
                    "\"provider\":\"vapi\",\"model\":{\"provider\":\"google\",\"model\":\"gemini-2.5-flash\"}",
                    units("promptTextTokens", "prompt_text_token", "promptAudioTokens", "prompt_audio_token",
                            "completionTextTokens", "completion_text_token", "completionAudioTokens",
                            "completion_audio_token")),
            new SdkType("analysis", "analysis",
                    "\"analysisType\":\"summary\",\"model\":{\"provider\":\"openai\",\"model\":\"gpt-4o\"}",
                    units("promptTokens", "prompt_token", "completionTokens", "completion_token")),
            new SdkType("knowledge-base", "llm", "\"model\":{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}",
                    units("promptTokens", "prompt_token", "completionTokens", "completion_token")));

    static Stream<Arguments> everyQuantityFieldOfEveryType() {
        return SDK_COST_ITEMS.stream().flatMap(sdk -> sdk.quantityUnits().entrySet().stream()
                .map(field -> Arguments.of(sdk.type(), field.getKey(), field.getValue(), sdk)));
    }

    /** An item of this type with every quantity field present: the one under test at 37, the others 0. */
    private static String itemWithOnly(SdkType sdk, String field, String cost) {
        String quantities = sdk.quantityUnits().keySet().stream()
                .map(name -> "\"" + name + "\":" + (name.equals(field) ? "37" : "0"))
                .collect(Collectors.joining(","));
        return "{\"type\":\"" + sdk.type() + "\"," + sdk.descriptor() + "," + quantities + ",\"cost\":" + cost + "}";
    }

    @ParameterizedTest(name = "{0}.{1} becomes {2}")
    @MethodSource("everyQuantityFieldOfEveryType")
    void eachQuantityFieldOfEachSdkCostItemBecomesAComponentInItsOwnUnitCarryingTheItemsCost(String type,
            String field, String unit, SdkType sdk) {
        // cachedPromptTokens are part of promptTokens, so alone they are all the prompt
        List<UsageComponent> components = VapiCostMapper.components(Http.parse("[" + itemWithOnly(sdk, field, "0.004") + "]"));

        assertThat(components).singleElement().satisfies(component -> {
            assertThat(component.costType()).isEqualTo(type);
            assertThat(component.layer()).isEqualTo(sdk.layer());
            assertThat(component.unit()).isEqualTo(unit);
            assertThat(component.quantity()).isEqualByComparingTo("37");
            assertThat(component.providerCost()).isEqualByComparingTo("0.004");
        });
    }

    @Test
    void aReportWithOneItemOfEverySdkTypeKeepsEveryQuantityAndItsProviderCostIsTheSumOfTheItems() {
        StringBuilder costs = new StringBuilder("[");
        BigDecimal reported = BigDecimal.ZERO;
        int i = 0;
        for (SdkType sdk : SDK_COST_ITEMS) {
            String quantities = sdk.quantityUnits().keySet().stream()
                    .filter(name -> !name.equals("cachedPromptTokens"))
                    .map(name -> "\"" + name + "\":" + (100 + name.length()))
                    .collect(Collectors.joining(","));
            BigDecimal cost = new BigDecimal("0.00" + (++i) + "7");
            reported = reported.add(cost);
            costs.append(i > 1 ? "," : "").append("{\"type\":\"").append(sdk.type()).append("\",")
                    .append(sdk.descriptor()).append(',').append(quantities).append(",\"cost\":").append(cost).append('}');
        }
        List<UsageComponent> components = VapiCostMapper.components(Http.parse(costs.append(']').toString()));

        assertThat(components.stream().map(UsageComponent::costType).distinct())
                .containsExactlyElementsOf(SDK_COST_ITEMS.stream().map(SdkType::type).toList());
        assertThat(components.stream().map(UsageComponent::providerCost).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(reported);
        for (SdkType sdk : SDK_COST_ITEMS) {
            long expectedComponents = sdk.quantityUnits().keySet().stream().filter(name -> !name.equals("cachedPromptTokens")).count();
            assertThat(components.stream().filter(c -> c.costType().equals(sdk.type())).count())
                    .as("components of %s", sdk.type()).isEqualTo(expectedComponents);
        }
    }

    @Test
    void theVoicemailDetectionOfTheIssueKeepsItsQuantitiesAndItsCostOfFourTenthsOfACent() {
        String item = "{\"type\":\"voicemail-detection\",\"provider\":\"vapi\",\"model\":{\"provider\":\"google\","
                + "\"model\":\"gemini-2.5-flash\"},\"promptTextTokens\":210,\"promptAudioTokens\":1500,"
                + "\"completionTextTokens\":12,\"completionAudioTokens\":0,\"cost\":0.004}";

        List<UsageComponent> components = VapiCostMapper.components(Http.parse("[" + item + "]"));

        assertThat(components).extracting(c -> c.provider() + " " + c.model() + " " + c.unit() + " " + c.quantity())
                .containsExactly("vapi gemini-2.5-flash prompt_text_token 210",
                        "vapi gemini-2.5-flash prompt_audio_token 1500",
                        "vapi gemini-2.5-flash completion_text_token 12");
        assertThat(components.stream().map(UsageComponent::providerCost).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("0.004");
    }

    @Test
    void anItemOfAShapeNoOneKnowsIsKeptAsOtherWithItsWholeCostAsOneItem() {
        List<UsageComponent> components = VapiCostMapper.components(Http.parse(
                "[{\"type\":\"sentiment-coach\",\"provider\":\"acme-ai\",\"widgets\":3,\"cost\":0.0021}]"));

        assertThat(components).singleElement().satisfies(component -> {
            assertThat(component.layer()).isEqualTo("other");
            assertThat(component.costType()).isEqualTo("sentiment-coach");
            assertThat(component.provider()).isEqualTo("acme-ai");
            assertThat(component.unit()).isEqualTo("item");
            assertThat(component.quantity()).isEqualByComparingTo("1");
            assertThat(component.providerCost()).isEqualByComparingTo("0.0021");
        });
    }

    @Test
    void aKnownItemWithACostButNoQuantityKeepsItsCostAsOneItem() {
        List<UsageComponent> components = VapiCostMapper.components(Http.parse(
                "[{\"type\":\"transport\",\"provider\":\"twilio\",\"minutes\":0,\"cost\":0.0085}]"));

        assertThat(components).extracting(c -> c.layer() + " " + c.unit() + " " + c.quantity() + " " + c.providerCost())
                .containsExactly("telephony item 1 0.0085");
    }

    @Test
    void anItemWithNeitherQuantityNorCostLeavesNothingBecauseNothingWasSpent() {
        assertThat(VapiCostMapper.components(Http.parse(
                "[{\"type\":\"voicemail-detection\",\"provider\":\"vapi\",\"promptTextTokens\":0,\"cost\":0}]"))).isEmpty();
    }
}
