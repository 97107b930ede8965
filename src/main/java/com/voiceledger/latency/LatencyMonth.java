package com.voiceledger.latency;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A customer's latency for a month: per layer, and per assistant per layer with its alert threshold if set. */
public record LatencyMonth(YearMonth month, Map<String, LayerLatency> layers, List<Assistant> assistants) {

    public record Assistant(String assistantId, Map<String, LayerLatency> layers, @Nullable Integer alertP95Ms) {
    }
}
