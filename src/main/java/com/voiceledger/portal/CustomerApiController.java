package com.voiceledger.portal;

import com.voiceledger.customer.Customer;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.NotFoundException;
import com.voiceledger.usage.CallDetail;
import com.voiceledger.usage.CallFilter;
import com.voiceledger.usage.CallPage;
import com.voiceledger.usage.CallQueries;
import com.voiceledger.rating.MonthCharges;
import com.voiceledger.rating.RatedCall;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.usage.CallSummary;
import java.util.Map;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The customer's JSON API: its calls, one call, a month's usage, and a CSV export. Every read is
 * scoped by {@link CustomerScope}; another customer's call id answers 404 exactly like a missing one.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Customer", description = "A customer's own usage (Bearer customer API key or a customer session)")
class CustomerApiController {

    private final CustomerScope scope;
    private final CallQueries calls;
    private final RatingQueries rating;

    CustomerApiController(CustomerScope scope, CallQueries calls, RatingQueries rating) {
        this.scope = scope;
        this.calls = calls;
        this.rating = rating;
    }

    record CallListJson(List<CallJson> calls, @Nullable String nextCursor) {
    }

    @GetMapping("/calls")
    @Operation(summary = "Calls, newest first; from/to are ISO-8601 instants, to exclusive; page with nextCursor")
    CallListJson list(@RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String assistantId,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) @Nullable String customer) {
        Customer owner = scope.resolve(customer);
        CallPage page = calls.list(owner.id(), filter(from, to, assistantId), cursor, limit);
        Map<String, RatedCall> charges = rating.ratedCalls(owner.id(),
                page.calls().stream().map(CallSummary::id).toList());
        boolean showCost = scope.seesProviderCost(owner);
        return new CallListJson(calls.withComponents(page.calls()).stream()
                .map(detail -> CallJson.of(detail, charges.get(detail.call().id()), owner.externalId(), false, showCost))
                .toList(), page.nextCursor());
    }

    @GetMapping("/calls/{callId}")
    @Operation(summary = "One call with its components, status timeline and Twilio view")
    CallJson call(@PathVariable String callId, @RequestParam(required = false) @Nullable String customer) {
        Customer owner = scope.resolve(customer);
        CallDetail detail = calls.find(owner.id(), callId)
                .orElseThrow(() -> new NotFoundException("no call " + callId));
        return CallJson.of(detail, rating.ratedCall(owner.id(), callId).orElse(null), owner.externalId(), true,
                scope.seesProviderCost(owner));
    }

    @GetMapping("/usage/summary")
    @Operation(summary = "Usage and charges of a billing month (YYYY-MM, the customer's time zone) by priced item")
    MonthCharges summary(@RequestParam String month, @RequestParam(required = false) @Nullable String customer) {
        Customer owner = scope.resolve(customer);
        YearMonth yearMonth;
        yearMonth = com.voiceledger.shared.InputBounds.month("month", month);
        MonthCharges charges = rating.month(owner.id(), yearMonth, owner.currency());
        return scope.seesProviderCost(owner) ? charges : charges.withoutProviderCost();
    }

    @GetMapping(path = "/calls.csv", produces = "text/csv")
    @Operation(summary = "The same calls as /calls, as CSV, every page")
    void csv(@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String assistantId,
            @RequestParam(required = false) @Nullable String customer, HttpServletResponse response) throws IOException {
        Customer owner = scope.resolve(customer);
        CallFilter filter = filter(from, to, assistantId);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"calls-" + owner.externalId() + ".csv\"");
        try (Writer out = new java.io.OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)) {
            boolean showCost = scope.seesProviderCost(owner);
            CallsCsv.writeHeader(out, showCost);
            String cursor = null;
            do {
                CallPage page = calls.list(owner.id(), filter, cursor, CallQueries.MAX_PAGE_SIZE);
                CallsCsv.writeRows(out, page.calls(),
                        rating.ratedCalls(owner.id(), page.calls().stream().map(CallSummary::id).toList()), showCost);
                cursor = page.nextCursor();
            } while (cursor != null);
        }
    }

    private static CallFilter filter(@Nullable String from, @Nullable String to, @Nullable String assistantId) {
        return new CallFilter(instant("from", from), instant("to", to), assistantId);
    }

    private static @Nullable Instant instant(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return com.voiceledger.shared.InputBounds.instant(name, value);
    }
}
