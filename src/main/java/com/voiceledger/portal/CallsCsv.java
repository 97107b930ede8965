package com.voiceledger.portal;

import com.voiceledger.rating.RatedCall;
import com.voiceledger.shared.Csv;
import com.voiceledger.usage.CallSummary;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The calls CSV: one row per call, RFC 4180 quoting, decimals in plain notation. */
public final class CallsCsv {

    private static final List<String> HEADER = List.of("id", "type", "status", "started_at", "ended_at",
            "duration_seconds", "ended_reason", "assistant_id", "phone_number_id", "provider_cost", "provider_currency",
            "charge", "charge_currency", "unpriced");

    private CallsCsv() {
    }

    /** Without {@code showCost} the provider's cost columns are left out altogether. */
    public static void writeHeader(Writer out, boolean showCost) throws IOException {
        out.write(String.join(",", showCost ? HEADER : HEADER.stream()
                .filter(column -> !column.startsWith("provider_")).toList()) + "\r\n");
    }

    public static void writeRows(Writer out, List<CallSummary> calls, Map<String, RatedCall> charges,
            boolean showCost) throws IOException {
        for (CallSummary call : calls) {
            RatedCall rated = charges.get(call.id());
            Stream<Object> head = Stream.of(call.id(), call.type(), call.status(), call.startedAt(), call.endedAt(),
                    call.durationSeconds(), call.endedReason(), call.assistantId(), call.phoneNumberId());
            Stream<Object> cost = showCost ? Stream.of(call.providerCost() == null ? null
                    : call.providerCost().toPlainString(), call.currency()) : Stream.empty();
            Stream<Object> charge = Stream.of(rated == null ? null : rated.charge().toPlainString(),
                    rated == null ? null : rated.currency(), rated == null ? null : rated.unpriced());
            out.write(Stream.concat(Stream.concat(head, cost), charge).map(Csv::field)
                    .collect(Collectors.joining(",")) + "\r\n");
        }
    }
}
