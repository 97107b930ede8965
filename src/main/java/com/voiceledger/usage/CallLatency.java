package com.voiceledger.usage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How fast each layer of one call answered, from the end-of-call report's performance metrics
 * ({@code artifact.performanceMetrics}, docs/decisions/0075-latency-per-layer.md): each turn's latencies and,
 * per layer, one value for the call (the report's {@code *LatencyAverage}, else the mean of its turns).
 * Every value is in whole milliseconds; a layer the report does not measure is absent, never 0.
 */
public record CallLatency(List<Turn> turns, Map<String, Integer> perLayer) {

    /** The layers the platform measures, by the names used here and in the API (in reply order). */
    public static final String ENDPOINTING = "endpointing";
    public static final String TRANSCRIBER = "transcriber";
    public static final String MODEL = "model";
    public static final String VOICE = "voice";
    public static final String TURN = "turn";
    public static final List<String> LAYERS = List.of(ENDPOINTING, TRANSCRIBER, MODEL, VOICE, TURN);

    public CallLatency {
        turns = List.copyOf(turns);
        perLayer = Map.copyOf(perLayer);
    }

    /** One turn: each layer's latency in ms, null where the report leaves it out. */
    public record Turn(@Nullable Integer endpointing, @Nullable Integer transcriber, @Nullable Integer model,
            @Nullable Integer voice, @Nullable Integer turn) {

        public @Nullable Integer of(String layer) {
            return switch (layer) {
                case ENDPOINTING -> endpointing;
                case TRANSCRIBER -> transcriber;
                case MODEL -> model;
                case VOICE -> voice;
                case TURN -> turn;
                default -> throw new IllegalArgumentException("no latency layer '" + layer + "'");
            };
        }
    }

    /**
     * The call's value per layer: the report's average where it gives one, else the mean of the turns that
     * measure the layer (rounded half up to a whole ms); layers with neither are left out.
     */
    public static CallLatency of(List<Turn> turns, Map<String, Integer> averages) {
        Map<String, Integer> perLayer = new LinkedHashMap<>();
        for (String layer : LAYERS) {
            Integer average = averages.get(layer);
            if (average != null) {
                perLayer.put(layer, average);
                continue;
            }
            long sum = 0;
            int count = 0;
            for (Turn turn : turns) {
                Integer value = turn.of(layer);
                if (value != null) {
                    sum += value;
                    count++;
                }
            }
            if (count > 0) {
                perLayer.put(layer, (int) ((sum * 2 + count) / (2L * count)));
            }
        }
        return new CallLatency(turns, perLayer);
    }

    public boolean isEmpty() {
        return turns.isEmpty() && perLayer.isEmpty();
    }
}
