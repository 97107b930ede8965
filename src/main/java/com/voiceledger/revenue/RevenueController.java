package com.voiceledger.revenue;

import com.voiceledger.security.CurrentUser;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Csv;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Finance's revenue API: the month's recognition and roll-forward, its journal as CSV, month locks. */
@RestController
@RequestMapping(path = "/api/admin/v1/revenue", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin: revenue")
class RevenueController {

    private final RevenueService revenue;
    private final CurrentUser currentUser;

    RevenueController(RevenueService revenue, CurrentUser currentUser) {
        this.revenue = revenue;
        this.currentUser = currentUser;
    }

    record LockRequest(@Nullable String reason) {
    }

    @GetMapping
    @Operation(summary = "Revenue recognized in a month (YYYY-MM) by category, deferred revenue roll-forward, "
            + "the check against the month's invoices and credit notes, per customer")
    Map<String, Object> revenue(@RequestParam String month, @RequestParam(required = false) @Nullable String customer) {
        return json(revenue.report(month(month), customer == null || customer.isBlank() ? null : customer));
    }

    @GetMapping(path = "/journal.csv", produces = "text/csv")
    @Operation(summary = "The month's journal entries (date, account, debit, credit, customer, memo, source), balanced")
    void journal(@RequestParam String month, HttpServletResponse response) throws IOException {
        YearMonth which = month(month);
        List<Journal.Line> lines = revenue.journal(which);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"revenue-journal-" + which + ".csv\"");
        try (Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)) {
            out.write(Csv.row("date", "account", "debit", "credit", "customer", "memo", "source"));
            for (Journal.Line line : lines) {
                out.write(Csv.row(line.date(), line.account(), line.debit().toPlainString(),
                        line.credit().toPlainString(), line.customer(), line.memo(), line.source()));
            }
        }
    }

    @PostMapping("/periods/{month}/lock")
    @Operation(summary = "Lock a month and every earlier open month: their figures never change again (audited)")
    Map<String, Object> lock(@PathVariable String month, @RequestBody(required = false) @Nullable LockRequest request) {
        return json(revenue.lock(month(month), currentUser.require().name(), request == null ? null : request.reason()));
    }

    static Map<String, Object> json(RevenueReport report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("month", report.month().toString());
        RollForward only = report.currencies().size() == 1 ? report.currencies().getFirst() : null;
        // one currency: its figures at the top; several: no sum across currencies, each under currencies
        body.put("currency", only == null ? null : only.currency());
        body.put("recognized", only == null ? null : recognized(only));
        body.put("deferred", only == null ? null : deferred(only));
        body.put("check", only == null ? Map.of("ok", report.reconciles()) : check(only));
        body.put("locked", report.locked());
        body.put("lockedThrough", report.lockedThrough() == null ? null : report.lockedThrough().toString());
        body.put("currencies", report.currencies().stream().map(figures -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("currency", figures.currency());
            row.put("recognized", recognized(figures));
            row.put("deferred", deferred(figures));
            row.put("check", check(figures));
            return row;
        }).toList());
        body.put("customers", report.customers().stream().map(customer -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("customer", customer.externalId());
            row.put("name", customer.name());
            row.put("currency", customer.figures().currency());
            row.put("recognized", recognized(customer.figures()));
            row.put("deferred", deferred(customer.figures()));
            row.put("check", check(customer.figures()));
            return row;
        }).toList());
        return body;
    }

    private static Map<String, Object> recognized(RollForward figures) {
        Map<String, Object> recognized = new LinkedHashMap<>();
        figures.recognized().forEach((category, amount) -> recognized.put(category.key(), amount));
        recognized.put("total", figures.total());
        return recognized;
    }

    private static Map<String, Object> deferred(RollForward figures) {
        RollForward.Deferred deferred = figures.deferred();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("opening", deferred.opening());
        json.put("added", deferred.added());
        json.put("recognized", deferred.recognized());
        json.put("breakage", deferred.breakage());
        json.put("closing", deferred.closing());
        return json;
    }

    private static Map<String, Object> check(RollForward figures) {
        RollForward.Check check = figures.check();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", check.ok());
        json.put("invoiced", check.invoiced());
        json.put("recognizedPlusDeferredChange", check.explained());
        json.put("difference", check.difference());
        return json;
    }

    private static YearMonth month(String month) {
        return com.voiceledger.shared.InputBounds.month("month", month);
    }
}
