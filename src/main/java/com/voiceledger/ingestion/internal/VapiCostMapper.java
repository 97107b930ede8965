package com.voiceledger.ingestion.internal;

import com.voiceledger.shared.Layer;
import com.voiceledger.shared.Units;
import com.voiceledger.usage.UsageComponent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Turns an end-of-call report's {@code costs[]} into usage components, per BILLING-RULES §1. Pure: a
 * function of the JSON alone. A zero quantity makes no component. An entry's reported cost is shared
 * among its components by quantity, the last taking the remainder so that the components of an
 * entry always sum to its cost exactly (docs/decisions/0004-usage-store-shape.md).
 *
 * <p>Every entry that costs something leaves at least one component, so that a call's provider cost is
 * always the sum of its entries (docs/decisions/0042-every-cost-item-kept.md): the eight types of the
 * platform's server SDK ({@code CallCostsItem}) each have their own units; an entry of another shape,
 * or one whose quantities are all zero while it has a cost, is kept as one {@code item} of its cost
 * (layer {@code other} for an unknown type), which no rate card prices unless finance names it, so it
 * waits in the unpriced usage queue instead of vanishing.
 */
public final class VapiCostMapper {

    /** Quantity fields of entries this mapper does not know, and the unit each one means. */
    private static final Map<String, String> GENERIC_QUANTITIES = Map.of(
            "minutes", "minute",
            "seconds", "second",
            "characters", "character",
            "promptTokens", "prompt_token",
            "completionTokens", "completion_token",
            "tokens", "token",
            "promptTextTokens", Units.PROMPT_TEXT_TOKEN,
            "promptAudioTokens", Units.PROMPT_AUDIO_TOKEN,
            "completionTextTokens", Units.COMPLETION_TEXT_TOKEN,
            "completionAudioTokens", Units.COMPLETION_AUDIO_TOKEN);

    private static final Logger log = LoggerFactory.getLogger(VapiCostMapper.class);

    private static final BigDecimal LIMIT = BigDecimal.TEN.pow(12);
    /** Bounds on a reported number's digits (issue 25): no real cost or quantity comes near them. */
    private static final int MAX_DIGITS = 40;
    private static final int MAX_SCALE = 40;

    private VapiCostMapper() {
    }

    public static List<UsageComponent> components(JsonNode costs) {
        List<UsageComponent> components = new ArrayList<>();
        if (costs == null || !costs.isArray()) {
            return components;
        }
        for (JsonNode entry : costs) {
            if (!entry.isObject()) {
                throw new InvalidPayloadException("every entry of 'costs' must be an object, got "
                        + entry.getNodeType().name().toLowerCase());
            }
            if (!entry.path("type").isString() || entry.path("type").asString().isBlank()) {
                throw new InvalidPayloadException("every entry of 'costs' needs a 'type' string");
            }
            components.addAll(fromEntry(entry));
        }
        return components;
    }

    private static List<UsageComponent> fromEntry(JsonNode entry) {
        String type = text(entry, "type", "unknown");
        List<Quantity> quantities = new ArrayList<>();
        String layer;
        String provider;
        String model;
        switch (type) {
            case "transport" -> {
                layer = Layer.TELEPHONY;
                provider = text(entry, "provider", "unknown");
                model = UsageComponent.NO_MODEL;
                quantities.add(new Quantity("minute", decimal(entry, "minutes")));
            }
            case "transcriber" -> {
                layer = Layer.STT;
                provider = text(entry.path("transcriber"), "provider", "unknown");
                model = text(entry.path("transcriber"), "model", UsageComponent.NO_MODEL);
                quantities.add(new Quantity("minute", decimal(entry, "minutes")));
            }
            case "model" -> {
                layer = Layer.LLM;
                provider = text(entry.path("model"), "provider", "unknown");
                model = text(entry.path("model"), "model", UsageComponent.NO_MODEL);
                BigDecimal prompt = decimal(entry, "promptTokens");
                BigDecimal cached = decimal(entry, "cachedPromptTokens");
                quantities.add(new Quantity("prompt_token", prompt.subtract(cached).max(BigDecimal.ZERO)));
                quantities.add(new Quantity("cached_prompt_token", cached));
                quantities.add(new Quantity("completion_token", decimal(entry, "completionTokens")));
            }
            case "voice" -> {
                layer = Layer.TTS;
                JsonNode voice = entry.path("voice");
                provider = text(voice, "provider", "unknown");
                model = text(voice, "model", text(voice, "voiceId", UsageComponent.NO_MODEL));
                quantities.add(new Quantity("character", decimal(entry, "characters")));
            }
            case "vapi" -> {
                layer = Layer.PLATFORM;
                provider = "vapi";
                model = text(entry, "subType", "normal");
                quantities.add(new Quantity("minute", decimal(entry, "minutes")));
            }
            case "analysis" -> {
                layer = Layer.ANALYSIS;
                JsonNode modelNode = entry.path("model");
                provider = text(modelNode, "provider", "unknown");
                model = modelNode.isString() ? modelNode.asString() : text(modelNode, "model", UsageComponent.NO_MODEL);
                quantities.add(new Quantity("prompt_token", decimal(entry, "promptTokens")));
                quantities.add(new Quantity("completion_token", decimal(entry, "completionTokens")));
            }
            case "knowledge-base" -> {
                // the model answering knowledge-base queries during the call: LLM tokens of that model
                layer = Layer.LLM;
                provider = text(entry.path("model"), "provider", "unknown");
                model = text(entry.path("model"), "model", UsageComponent.NO_MODEL);
                quantities.add(new Quantity("prompt_token", decimal(entry, "promptTokens")));
                quantities.add(new Quantity("completion_token", decimal(entry, "completionTokens")));
            }
            case "voicemail-detection" -> {
                // a model listening to the call's start: text and audio tokens are priced apart
                layer = Layer.ANALYSIS;
                provider = text(entry, "provider", text(entry.path("model"), "provider", "unknown"));
                model = text(entry.path("model"), "model", UsageComponent.NO_MODEL);
                quantities.add(new Quantity(Units.PROMPT_TEXT_TOKEN, decimal(entry, "promptTextTokens")));
                quantities.add(new Quantity(Units.PROMPT_AUDIO_TOKEN, decimal(entry, "promptAudioTokens")));
                quantities.add(new Quantity(Units.COMPLETION_TEXT_TOKEN, decimal(entry, "completionTextTokens")));
                quantities.add(new Quantity(Units.COMPLETION_AUDIO_TOKEN, decimal(entry, "completionAudioTokens")));
            }
            default -> {
                layer = Layer.OTHER;
                provider = text(entry, "provider", text(entry.path("model"), "provider", type));
                JsonNode modelNode = entry.path("model");
                model = modelNode.isString() ? modelNode.asString() : text(modelNode, "model", UsageComponent.NO_MODEL);
                GENERIC_QUANTITIES.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(field -> quantities.add(new Quantity(field.getValue(), decimal(entry, field.getKey()))));
            }
        }
        List<Quantity> present = quantities.stream().filter(q -> q.amount().signum() > 0).toList();
        BigDecimal cost = decimal(entry, "cost");
        if (present.isEmpty() && cost.signum() > 0) {
            // a cost without a quantity we can read: kept whole, as one item, for finance to price or explain
            log.warn("cost entry of type '{}' has a cost of {} but no known quantity: kept as one '{}'", type,
                    cost.toPlainString(), Units.ITEM);
            present = List.of(new Quantity(Units.ITEM, BigDecimal.ONE));
        }
        return shareCost(type, layer, provider, model, present, cost);
    }

    private static List<UsageComponent> shareCost(String type, String layer, String provider, String model,
            List<Quantity> quantities, BigDecimal cost) {
        BigDecimal total = quantities.stream().map(Quantity::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        List<UsageComponent> components = new ArrayList<>();
        BigDecimal assigned = BigDecimal.ZERO;
        for (int i = 0; i < quantities.size(); i++) {
            Quantity quantity = quantities.get(i);
            BigDecimal share = i == quantities.size() - 1
                    ? cost.subtract(assigned)
                    : cost.multiply(quantity.amount()).divide(total, 10, RoundingMode.HALF_EVEN);
            assigned = assigned.add(share);
            components.add(new UsageComponent(type, layer, provider, model, quantity.unit(), quantity.amount(),
                    share.stripTrailingZeros()));
        }
        return components;
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        return value.isString() && !value.asString().isBlank() ? value.asString().strip() : fallback;
    }

    /**
     * A quantity or cost as a decimal: absent or null is 0; anything but a number (or a numeric string)
     * is refused as bad input rather than read as 0, and so is a negative number or one beyond what one
     * call can plausibly use (10^12).
     */
    static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node.path(field);
        BigDecimal number;
        if (value.isNumber()) {
            number = value.decimalValue();
        } else if (value.isString()) {
            try {
                number = new BigDecimal(value.asString().strip());
            } catch (NumberFormatException e) {
                throw new InvalidPayloadException(field + " is not a number");
            }
        } else if (value.isMissingNode() || value.isNull()) {
            return BigDecimal.ZERO;
        } else {
            throw new InvalidPayloadException(field + " is not a number: " + value.getNodeType().name().toLowerCase());
        }
        if (number.signum() < 0 || number.compareTo(LIMIT) >= 0) {
            // never the value itself: 1e120000000 written out is 120 MB, in the answer and in the webhook log row
            throw new InvalidPayloadException(field + " must be between 0 and 10^12");
        }
        // A double printed by the platform has at most 17 significant digits; thousands of them, or an
        // exponent like 1e-120000000, would make every later step (and the stored row) as large as the digits.
        if (number.precision() > MAX_DIGITS) {
            throw new InvalidPayloadException(field + " has more than " + MAX_DIGITS + " significant digits");
        }
        if ((long) number.precision() - number.scale() < -MAX_SCALE) {
            // below 10^-40: nothing any price turns into a cent; kept as the zero it is, not as 10^8 zeros
            return BigDecimal.ZERO;
        }
        return number;
    }

    private record Quantity(String unit, BigDecimal amount) {
    }
}
