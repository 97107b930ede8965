package com.voiceledger.admin;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.rating.MarginRow;
import com.voiceledger.rating.Margins;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Csv;
import com.voiceledger.spendcap.SpendCaps;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What the platform keeps: margin by customer, layer, model or assistant, and the worst calls. */
@RestController
@RequestMapping(path = "/api/admin/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin: margins")
class MarginController {

    private final Margins margins;
    private final CustomerService customers;
    private final SpendCaps spendCaps;
    private final Clock clock;

    MarginController(Margins margins, CustomerService customers, SpendCaps spendCaps, Clock clock) {
        this.margins = margins;
        this.customers = customers;
        this.spendCaps = spendCaps;
        this.clock = clock;
    }

    record MarginAlertRequest(@Nullable BigDecimal percent) {
    }

    @GetMapping("/margins")
    @Operation(summary = "Charge, provider cost, margin and margin % of a month, grouped by customer|layer|model|assistant")
    List<MarginRow> margins(@RequestParam(required = false) @Nullable String month,
            @RequestParam(defaultValue = "customer") String groupBy) {
        Margins.GroupBy group = Margins.GroupBy.parse(groupBy);
        List<MarginRow> rows = margins.by(group, month(month));
        if (group != Margins.GroupBy.CUSTOMER) {
            return rows;
        }
        Map<String, String> externalIds = customers.list().stream()
                .collect(Collectors.toMap(c -> c.id().toString(), Customer::externalId, (a, b) -> a));
        return rows.stream().map(r -> new MarginRow(externalIds.getOrDefault(r.key(), r.key()), r.charge(),
                r.providerCost(), r.margin(), r.marginPercent(), r.calls())).toList();
    }

    @GetMapping(path = "/margins.csv", produces = "text/csv")
    void csv(@RequestParam(required = false) @Nullable String month, @RequestParam(defaultValue = "customer") String groupBy,
            jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
        List<MarginRow> rows = margins(month, groupBy);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"margins-" + month(month) + "-" + groupBy + ".csv\"");
        try (var out = new java.io.OutputStreamWriter(response.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8)) {
            out.write(Csv.row(groupBy, "charge", "provider_cost", "margin", "margin_percent_of_cost"));
            for (MarginRow row : rows) {
                out.write(Csv.row(row.key(), row.charge().toPlainString(), row.providerCost().toPlainString(),
                        row.margin().toPlainString(), row.marginPercent() == null ? "" : row.marginPercent().toPlainString()));
            }
        }
    }

    @GetMapping("/margins/calls")
    @Operation(summary = "A customer's calls of a month, worst margin first")
    List<Margins.CallMargin> worstCalls(@RequestParam String customer,
            @RequestParam(required = false) @Nullable String month, @RequestParam(defaultValue = "100") int limit) {
        return margins.worstCalls(customers.getByExternalId(customer).id(), month(month), limit);
    }

    @PutMapping(path = "/customers/{externalId}/margin-alert", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Alert finance when this customer's month-to-date margin falls below percent (null: default)")
    Map<String, Object> marginAlert(@PathVariable String externalId, @RequestBody MarginAlertRequest request) {
        spendCaps.setMarginAlert(customers.getByExternalId(externalId), request.percent());
        return Map.of("customer", externalId, "percent", request.percent() == null ? "default" : request.percent());
    }

    private YearMonth month(@Nullable String month) {
        if (month == null || month.isBlank()) {
            return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        }
        return com.voiceledger.shared.InputBounds.month("month", month);
    }

}
