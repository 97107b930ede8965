package com.voiceledger.portal;

import com.voiceledger.latency.Latencies;
import com.voiceledger.latency.LatencyMonth;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.shared.InputBounds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Latency per layer (issue #30, decision 0075): p50/p95 from the hourly histogram, and p95 alert thresholds. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Customer")
class LatencyApiController {

    private final CustomerScope scope;
    private final Latencies latencies;
    private final CurrentUser currentUser;

    LatencyApiController(CustomerScope scope, Latencies latencies, CurrentUser currentUser) {
        this.scope = scope;
        this.latencies = latencies;
        this.currentUser = currentUser;
    }

    @GetMapping("/latency")
    @Operation(summary = "p50/p95 latency per layer (endpointing, transcriber, model, voice, turn) and per assistant for a month")
    LatencyMonth latency(@RequestParam(required = false) @Nullable String month,
            @RequestParam(required = false) @Nullable String assistant,
            @RequestParam(required = false) @Nullable String customer) {
        return latencies.month(scope.resolve(customer), InputBounds.month("month", month), assistant);
    }

    record AlertRequest(@Nullable Integer p95Ms) {
    }

    @PutMapping(path = "/assistants/{assistantId}/latency-alert", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('CUSTOMER_ADMIN')")
    @Operation(summary = "Customer admins: alert (once an hour) when an assistant's p95 turn latency passes p95Ms")
    Map<String, Object> setAlert(@PathVariable String assistantId, @RequestBody AlertRequest request) {
        latencies.setThreshold(scope.resolve(null), assistantId, request.p95Ms(), currentUser.require().name());
        return Map.of("assistantId", assistantId, "p95Ms", request.p95Ms());
    }

    @DeleteMapping("/assistants/{assistantId}/latency-alert")
    @PreAuthorize("hasRole('CUSTOMER_ADMIN')")
    @Operation(summary = "Customer admins: remove an assistant's latency alert")
    Map<String, String> removeAlert(@PathVariable String assistantId) {
        latencies.removeThreshold(scope.resolve(null), assistantId, currentUser.require().name());
        return Map.of("assistantId", assistantId, "latencyAlert", "removed");
    }
}
