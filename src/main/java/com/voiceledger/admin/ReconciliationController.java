package com.voiceledger.admin;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.usage.Reconciliation;
import com.voiceledger.shared.Csv;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Finance's reconciliation of the platform's telephony minutes against Twilio's, per customer-month. */
@RestController
@RequestMapping(path = "/api/admin/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin: reconciliation")
class ReconciliationController {

    private final CustomerService customers;
    private final Reconciliation reconciliation;
    private final com.voiceledger.billing.InvoiceService invoices;

    ReconciliationController(CustomerService customers, Reconciliation reconciliation,
            com.voiceledger.billing.InvoiceService invoices) {
        this.invoices = invoices;
        this.customers = customers;
        this.reconciliation = reconciliation;
    }

    @GetMapping("/customers/{externalId}/reconciliation")
    @Operation(summary = "Per call: platform transport minutes vs Twilio's billed minutes, and the calls that disagree")
    Reconciliation.Report report(@PathVariable String externalId, @RequestParam String month) {
        Customer customer = customers.getByExternalId(externalId);
        YearMonth which = month(month);
        return reconciliation.report(customer.id(), which, start(customer, which), start(customer, which.plusMonths(1)));
    }

    @GetMapping(path = "/customers/{externalId}/reconciliation.csv", produces = "text/csv")
    void csv(@PathVariable String externalId, @RequestParam String month, HttpServletResponse response)
            throws IOException {
        Reconciliation.Report report = report(externalId, month);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"reconciliation-" + externalId + "-" + month + ".csv\"");
        try (Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)) {
            out.write("call_id,call_sid,call_time,platform_minutes,twilio_seconds,twilio_billed_minutes,delta_minutes,"
                    + "twilio_status,provider_cost,issue\r\n");
            for (Reconciliation.Row row : report.rows()) {
                out.write(Stream.of(row.callId(), row.callSid(), row.callTime(), row.platformMinutes().toPlainString(),
                                row.twilioSeconds(), row.twilioBilledMinutes().toPlainString(),
                                row.deltaMinutes().toPlainString(), row.twilioStatus(),
                                row.providerCost() == null ? null : row.providerCost().toPlainString(), row.issue())
                        .map(Csv::field).collect(Collectors.joining(",")) + "\r\n");
            }
        }
    }

    record PolicyRequest(@org.jspecify.annotations.Nullable String policy) {
    }

    @org.springframework.web.bind.annotation.PutMapping(path = "/customers/{externalId}/reconciliation-policy",
            consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "FLAG_ONLY (default) or BILL_DELTA: bill Twilio's extra minutes on the customer's invoices")
    java.util.Map<String, String> policy(@PathVariable String externalId,
            @org.springframework.web.bind.annotation.RequestBody PolicyRequest request) {
        invoices.setReconciliationPolicy(customers.getByExternalId(externalId),
                request.policy() == null ? "" : request.policy());
        return java.util.Map.of("customer", externalId, "policy", request.policy());
    }

    @GetMapping("/reconciliation/twilio-only")
    @Operation(summary = "Twilio calls of a month (UTC) that no platform call claims")
    List<Reconciliation.Row> twilioOnly(@RequestParam String month) {
        YearMonth which = month(month);
        return reconciliation.twilioOnly(which.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                which.plusMonths(1).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }

    private static Instant start(Customer customer, YearMonth month) {
        return month.atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant();
    }

    private static YearMonth month(String month) {
        return com.voiceledger.shared.InputBounds.month("month", month);
    }
}
