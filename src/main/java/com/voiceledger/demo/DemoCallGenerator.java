package com.voiceledger.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes realistic end-of-call reports in the platform's own format (as in shared/samples), priced
 * at the reference list prices, so demo calls enter through the same parser as real ones.
 * Deterministic for a given seed.
 */
final class DemoCallGenerator {

    static final String ORG_ID = "0b7e4d2c-91aa-4c55-8f3e-2d6a1b9c7e44";

    /** A demo assistant: its id, whose it is (metadata key or none), the LLM and voice it uses. */
    record Assistant(String id, String name, String metadataCustomerKey, String phoneNumberId, String llmProvider,
            String llmModel, BigDecimal promptPrice, BigDecimal completionPrice, String voiceProvider,
            String voiceModel, BigDecimal voicePricePerChar, boolean outbound) {
    }

    private final JsonMapper json = JsonMapper.builder().build();
    private final Random random;

    DemoCallGenerator(long seed) {
        this.random = new Random(seed);
    }

    byte[] endOfCallReport(Assistant assistant, Instant createdAt, Outcome outcome) {
        String callId = new UUID(random.nextLong(), random.nextLong()).toString();
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        int seconds = switch (outcome) {
            case NOT_ANSWERED -> 0;
            case SHORT -> 5 + random.nextInt(25);
            case SILENCE_LOOP -> 360;
            case NORMAL -> (int) Math.min(1500, Math.max(30, Math.exp(4.6 + random.nextGaussian() * 0.7)));
        };
        ObjectNode message = json.createObjectNode();
        message.put("type", "end-of-call-report");
        message.put("timestamp", createdAt.plusSeconds(seconds + 3).toEpochMilli());
        ObjectNode call = message.putObject("call");
        call.put("id", callId);
        call.put("orgId", ORG_ID);
        call.put("type", assistant.outbound() ? "outboundPhoneCall" : "inboundPhoneCall");
        call.put("assistantId", assistant.id());
        call.put("phoneNumberId", assistant.phoneNumberId());
        call.putObject("customer").put("number", "+1415555" + String.format("%04d", random.nextInt(10000)));
        call.put("phoneCallProvider", "twilio");
        call.put("phoneCallProviderId", callSid);
        if (assistant.metadataCustomerKey() != null) {
            call.putObject("assistantOverrides").putObject("metadata").put("customerId", assistant.metadataCustomerKey());
        }
        call.put("createdAt", createdAt.toString());
        // the platform sends the assistant and phone number objects: their names name the ids on screens
        if (!assistant.name().equals(assistant.id())) {
            message.putObject("assistant").put("id", assistant.id()).put("name", assistant.name());
        }
        message.putObject("phoneNumber").put("id", assistant.phoneNumberId()).put("name", "Main line");
        ArrayNode costs = message.putArray("costs");
        BigDecimal total = BigDecimal.ZERO;
        if (outcome == Outcome.NOT_ANSWERED) {
            message.put("endedReason", random.nextBoolean() ? "customer-did-not-answer" : "customer-busy");
        } else {
            Instant startedAt = createdAt.plusSeconds(2);
            message.put("startedAt", startedAt.toString());
            message.put("endedAt", startedAt.plusSeconds(seconds).toString());
            message.put("endedReason", switch (outcome) {
                case SILENCE_LOOP -> "exceeded-max-duration";
                case SHORT -> random.nextInt(4) == 0 ? "pipeline-error-openai-llm-failed" : "customer-ended-call";
                default -> random.nextBoolean() ? "customer-ended-call" : "assistant-ended-call";
            });
            BigDecimal minutes = BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_EVEN);
            int turns = Math.max(1, seconds / 12);
            long prompt = outcome == Outcome.SILENCE_LOOP ? 96_000 : 900L * turns + random.nextInt(4000);
            long cached = outcome == Outcome.SILENCE_LOOP ? 0 : prompt / 3;
            long completion = 45L * turns + random.nextInt(200);
            long characters = outcome == Outcome.SILENCE_LOOP ? 400 : 160L * turns + random.nextInt(300);
            total = total.add(cost(costs.addObject().put("type", "transport").put("provider", "twilio")
                    .put("minutes", minutes), minutes.multiply(new BigDecimal(assistant.outbound() ? "0.013" : "0.0085"))));
            ObjectNode stt = costs.addObject().put("type", "transcriber");
            stt.putObject("transcriber").put("provider", "deepgram").put("model", "nova-3");
            total = total.add(cost(stt.put("minutes", minutes), minutes.multiply(new BigDecimal("0.0048"))));
            ObjectNode llm = costs.addObject().put("type", "model");
            llm.putObject("model").put("provider", assistant.llmProvider()).put("model", assistant.llmModel());
            llm.put("promptTokens", prompt).put("completionTokens", completion).put("cachedPromptTokens", cached);
            total = total.add(cost(llm, assistant.promptPrice().multiply(BigDecimal.valueOf(prompt - cached / 2))
                    .add(assistant.completionPrice().multiply(BigDecimal.valueOf(completion)))
                    .movePointLeft(6)));
            ObjectNode voice = costs.addObject().put("type", "voice");
            voice.putObject("voice").put("provider", assistant.voiceProvider()).put("voiceId", "demo-voice")
                    .put("model", assistant.voiceModel());
            total = total.add(cost(voice.put("characters", characters),
                    assistant.voicePricePerChar().multiply(BigDecimal.valueOf(characters))));
            total = total.add(cost(costs.addObject().put("type", "vapi").put("subType", "normal").put("minutes", minutes),
                    minutes.multiply(new BigDecimal("0.05"))));
            ObjectNode artifact = message.putObject("artifact");
            ArrayNode messages = artifact.putArray("messages");
            long time = startedAt.toEpochMilli();
            for (int turn = 0; turn < Math.min(turns, 12); turn++) {
                boolean silent = outcome == Outcome.SILENCE_LOOP;
                messages.addObject().put("role", "bot").put("message", silent ? "Are you still there?" : "How can I help?")
                        .put("time", time + turn * 12_000L).put("secondsFromStart", turn * 12.0).put("duration", 1800);
                messages.addObject().put("role", "user").put("message", silent ? "" : "I'd like to check my booking.")
                        .put("time", time + turn * 12_000L + 6000).put("secondsFromStart", turn * 12.0 + 6)
                        .put("duration", silent ? 400 : 2200);
            }
            artifact.put("transcript", outcome == Outcome.SILENCE_LOOP ? "AI: Are you still there?"
                    : "AI: How can I help?\nUser: I'd like to check my booking.");
            artifact.put("recordingUrl", "https://storage.example.invalid/recordings/" + callId + ".wav");
            performanceMetrics(artifact, callId, Math.min(turns, 12), assistant.llmModel());
        }
        message.put("cost", total.setScale(4, RoundingMode.HALF_EVEN));
        ObjectNode root = json.createObjectNode();
        root.set("message", message);
        return json.writeValueAsBytes(root);
    }

    /**
     * How fast each layer answered, per turn, as the platform reports it ({@code artifact.performanceMetrics},
     * decision 0075), so the demo's latency charts have something to show. Drawn from a generator of the call's
     * own, so the demo's calls, costs and outcomes stay what they were.
     */
    private static void performanceMetrics(ObjectNode artifact, String callId, int turns, String llmModel) {
        java.util.Random latency = new java.util.Random(callId.hashCode());
        int modelBase = llmModel.contains("mini") || llmModel.contains("haiku") ? 350 : 700;
        ObjectNode metrics = artifact.putObject("performanceMetrics");
        ArrayNode turnLatencies = metrics.putArray("turnLatencies");
        long modelSum = 0;
        long turnSum = 0;
        for (int turn = 0; turn < turns; turn++) {
            int model = modelBase + (int) Math.abs(latency.nextGaussian() * modelBase * 0.4);
            int voice = 180 + latency.nextInt(220);
            int transcriber = 90 + latency.nextInt(160);
            int endpointing = 60 + latency.nextInt(140);
            int total = model + voice + transcriber + endpointing;
            turnLatencies.addObject().put("modelLatency", model).put("voiceLatency", voice)
                    .put("transcriberLatency", transcriber).put("endpointingLatency", endpointing)
                    .put("turnLatency", total);
            modelSum += model;
            turnSum += total;
        }
        metrics.put("modelLatencyAverage", (double) modelSum / turns).put("turnLatencyAverage", (double) turnSum / turns);
    }

    Outcome nextOutcome() {
        int roll = random.nextInt(100);
        if (roll < 8) {
            return Outcome.NOT_ANSWERED;
        }
        return roll < 20 ? Outcome.SHORT : Outcome.NORMAL;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static BigDecimal cost(ObjectNode entry, BigDecimal cost) {
        BigDecimal rounded = cost.setScale(6, RoundingMode.HALF_EVEN);
        entry.put("cost", rounded);
        return rounded;
    }

    enum Outcome {
        NORMAL, SHORT, NOT_ANSWERED, SILENCE_LOOP
    }
}
