package com.voiceledger.latency;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.customer.Customer;
import com.voiceledger.latency.internal.LatencyStore;
import com.voiceledger.latency.internal.LatencyStore.Counted;
import com.voiceledger.latency.internal.LatencyStore.Group;
import com.voiceledger.latency.internal.LatencyStore.RollupKey;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Layer;
import com.voiceledger.shared.NotFoundException;
import com.voiceledger.usage.CallLatency;
import com.voiceledger.usage.CallReported;
import com.voiceledger.usage.UsageComponent;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Latency per layer (decision 0075): keeps each reported call's performance metrics and adds them to the hourly
 * histogram in the transaction that records the report; reads p50/p95 from that histogram only.
 */
@Service
public class Latencies {

    /** Which cost layer's provider and model answer for a latency layer; the others have none ("-"). */
    static final Map<String, String> COST_LAYER = Map.of(CallLatency.MODEL, Layer.LLM, CallLatency.VOICE, Layer.TTS,
            CallLatency.TRANSCRIBER, Layer.STT);
    static final String NO_ASSISTANT = "-";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MOST_MS = 600_000;

    private final LatencyStore store;
    private final AuditLog audit;
    private final Clock clock;

    Latencies(LatencyStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** With the call's first report, in its transaction: a report without performance metrics adds nothing. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(CallReported reported) {
        CallLatency latency = reported.latency();
        if (latency == null) {
            return;
        }
        List<RollupKey> keys = new ArrayList<>();
        latency.perLayer().forEach((layer, ms) -> {
            UsageComponent component = componentOf(reported.components(), COST_LAYER.get(layer));
            keys.add(new RollupKey(layer, component == null ? "-" : component.provider(),
                    component == null ? "-" : component.model(), LatencyBuckets.bucketOf(ms)));
        });
        String assistant = reported.call().assistantId() == null ? NO_ASSISTANT : reported.call().assistantId();
        store.add(reported.customerId().value(), reported.callId(), assistant, reported.callTime(),
                JSON.writeValueAsString(new TreeMap<>(latency.perLayer())), JSON.writeValueAsString(latency.turns()),
                keys);
    }

    private static @Nullable UsageComponent componentOf(List<UsageComponent> components, @Nullable String layer) {
        return layer == null ? null
                : components.stream().filter(component -> component.layer().equals(layer)).findFirst().orElse(null);
    }

    /** A customer's month: per layer and per assistant (optionally one assistant only). */
    @Transactional(readOnly = true)
    public LatencyMonth month(Customer customer, YearMonth month, @Nullable String assistantId) {
        Instant from = month.atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant();
        long id = customer.id().value();
        // one read of the rollup: the customer's figures are its assistants' histograms added up
        List<Counted> byAssistant = store.counts(id, from, to, assistantId, Group.ASSISTANT, null);
        Map<String, LayerLatency> layers = layers(byAssistant.stream()
                .map(counted -> new Counted("", counted.layer(), counted.bucket(), counted.calls())).toList())
                .getOrDefault("", Map.of());
        Map<String, Integer> thresholds = store.thresholds(id);
        List<LatencyMonth.Assistant> assistants = new ArrayList<>();
        layers(byAssistant).forEach((assistant, byLayer) ->
                assistants.add(new LatencyMonth.Assistant(assistant, byLayer, thresholds.get(assistant))));
        // an assistant with a threshold and no calls yet still shows, with its threshold
        thresholds.forEach((assistant, p95) -> {
            if ((assistantId == null || assistantId.equals(assistant))
                    && assistants.stream().noneMatch(a -> a.assistantId().equals(assistant))) {
                assistants.add(new LatencyMonth.Assistant(assistant, Map.of(), p95));
            }
        });
        assistants.sort(java.util.Comparator.comparing(LatencyMonth.Assistant::assistantId));
        return new LatencyMonth(month, layers, assistants);
    }

    /** p50/p95 per layer per day of a customer's month (billing time zone), for the dashboard's chart. */
    @Transactional(readOnly = true)
    public List<LatencyPoint> daily(Customer customer, YearMonth month) {
        return daily(customer, month.atDay(1), month.plusMonths(1).atDay(1), null);
    }

    /** p50/p95 per layer per day over the days {@code [from, to)} (billing time zone), optionally one assistant. */
    @Transactional(readOnly = true)
    public List<LatencyPoint> daily(Customer customer, LocalDate from, LocalDate to, @Nullable String assistantId) {
        List<LatencyPoint> points = new ArrayList<>();
        layers(store.counts(customer.id().value(), from.atStartOfDay(customer.billingTimeZone()).toInstant(),
                to.atStartOfDay(customer.billingTimeZone()).toInstant(), assistantId, Group.DAY,
                customer.billingTimeZone().getId()))
                .forEach((day, byLayer) -> byLayer.forEach((layer, latency) -> points.add(new LatencyPoint(
                        LocalDate.parse(day), layer, latency.p50Ms(), latency.p95Ms(), latency.calls()))));
        return points;
    }

    /** Per layer over the days {@code [from, to)} (billing time zone), optionally one assistant. */
    @Transactional(readOnly = true)
    public Map<String, LayerLatency> period(Customer customer, LocalDate from, LocalDate to,
            @Nullable String assistantId) {
        return layers(store.counts(customer.id().value(), from.atStartOfDay(customer.billingTimeZone()).toInstant(),
                to.atStartOfDay(customer.billingTimeZone()).toInstant(), assistantId, Group.NONE, null))
                .getOrDefault("", Map.of());
    }

    /** Every customer's calls of a month (UTC), per layer, provider and model: finance's view beside margin. */
    @Transactional(readOnly = true)
    public List<ModelLatency> byProviderAndModel(YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<ModelLatency> rows = new ArrayList<>();
        layers(store.counts(null, from, to, null, Group.PROVIDER_MODEL, null)).forEach((key, byLayer) -> {
            String[] providerModel = key.split("\u0001", 2);
            byLayer.forEach((layer, latency) -> {
                if (COST_LAYER.containsKey(layer)) {
                    rows.add(new ModelLatency(layer, providerModel[0], providerModel[1], latency.p50Ms(),
                            latency.p95Ms(), latency.calls()));
                }
            });
        });
        rows.sort(java.util.Comparator.comparing(ModelLatency::layer).thenComparing(ModelLatency::provider)
                .thenComparing(ModelLatency::model));
        return rows;
    }

    /** Histograms by group and layer, in the layers' reply order, made into percentiles. */
    private static Map<String, Map<String, LayerLatency>> layers(List<Counted> counts) {
        Map<String, Map<String, Map<Integer, Long>>> histograms = new TreeMap<>();
        for (Counted counted : counts) {
            histograms.computeIfAbsent(counted.group(), group -> new TreeMap<>())
                    .computeIfAbsent(counted.layer(), layer -> new TreeMap<>())
                    .merge(counted.bucket(), counted.calls(), Long::sum);
        }
        Map<String, Map<String, LayerLatency>> result = new LinkedHashMap<>();
        histograms.forEach((group, byLayer) -> {
            Map<String, LayerLatency> ordered = new LinkedHashMap<>();
            for (String layer : CallLatency.LAYERS) {
                if (byLayer.containsKey(layer)) {
                    ordered.put(layer, LayerLatency.of(byLayer.get(layer)));
                }
            }
            result.put(group, ordered);
        });
        return result;
    }

    /** A call's per-turn latencies (empty when its report had none or it is not the customer's). */
    @Transactional(readOnly = true)
    public List<CallLatency.Turn> turns(Customer customer, String callId) {
        String[] stored = store.call(customer.id().value(), callId);
        if (stored == null) {
            return List.of();
        }
        return List.of(JSON.readValue(stored[1], CallLatency.Turn[].class));
    }

    /** Sets an assistant's p95 threshold (customer admins; audited). */
    @Transactional
    public void setThreshold(Customer customer, String assistantId, @Nullable Integer p95Ms, String actor) {
        if (assistantId.isBlank() || assistantId.length() > 200) {
            throw new BadRequestException("assistantId must be 1 to 200 characters");
        }
        if (p95Ms == null || p95Ms <= 0 || p95Ms > MOST_MS) {
            throw new BadRequestException("p95Ms is required: a whole number of milliseconds from 1 to " + MOST_MS);
        }
        store.setThreshold(customer.id().value(), assistantId, p95Ms, clock.instant(), actor);
        audit.record(actor, "latency alert set", "customer " + customer.externalId() + ", assistant " + assistantId,
                "set by the customer", Map.of("p95Ms", p95Ms));
    }

    @Transactional
    public void removeThreshold(Customer customer, String assistantId, String actor) {
        if (!store.removeThreshold(customer.id().value(), assistantId)) {
            throw new NotFoundException("no latency alert for assistant '" + assistantId + "'");
        }
        audit.record(actor, "latency alert removed", "customer " + customer.externalId() + ", assistant " + assistantId,
                "removed by the customer", Map.of());
    }

    @Transactional(readOnly = true)
    public Map<String, Integer> thresholds(Customer customer) {
        return store.thresholds(customer.id().value());
    }
}
