package com.voiceledger.admin;

import com.voiceledger.billing.BillingRun;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.billing.CreditGrant;
import com.voiceledger.billing.CreditService;
import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceDocuments;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.billing.CalendarMonth;
import com.voiceledger.billing.InvoiceIssuing;
import com.voiceledger.billing.IssuingPolicy;
import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.web.bind.annotation.PutMapping;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.spendcap.Alert;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.spendcap.SpendStatus;
import com.voiceledger.stripe.InvoicePush;
import com.voiceledger.stripe.CreditNotePush;
import com.voiceledger.stripe.StripeCreditNotes;
import com.voiceledger.stripe.StripePushes;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.web.Downloads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Finance's billing API: credits, month-end runs, invoices. */
@RestController
@RequestMapping(path = "/api/admin/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin: billing")
class BillingAdminController {

    private final CustomerService customers;
    private final CreditService credits;
    private final BillingRuns runs;
    private final InvoiceService invoices;
    private final CurrentUser currentUser;
    private final StripePushes stripe;
    private final SpendCaps spendCaps;
    private final Alerts alerts;
    private final InvoiceIssuing issuing;
    private final InvoiceDocuments documents;
    private final StripeCreditNotes creditNotes;

    BillingAdminController(CustomerService customers, CreditService credits, BillingRuns runs, InvoiceService invoices,
            CurrentUser currentUser, StripePushes stripe, SpendCaps spendCaps, Alerts alerts, InvoiceIssuing issuing,
            InvoiceDocuments documents, StripeCreditNotes creditNotes) {
        this.creditNotes = creditNotes;
        this.documents = documents;
        this.issuing = issuing;
        this.spendCaps = spendCaps;
        this.alerts = alerts;
        this.stripe = stripe;
        this.customers = customers;
        this.credits = credits;
        this.runs = runs;
        this.invoices = invoices;
        this.currentUser = currentUser;
    }

    record GrantRequest(@Nullable BigDecimal amount, @Nullable Instant effectiveFrom, @Nullable Instant expiresAt,
            @Nullable Integer priority, @Nullable String reason) {
    }

    record VoidRequest(@Nullable String reason) {
    }

    record RunRequest(@Nullable String month, @Nullable String customer) {
    }

    @PostMapping(path = "/customers/{externalId}/credits", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Grant credit (amount, effectiveFrom, expiresAt, priority: lower is used first, reason)")
    CreditGrant grant(@PathVariable String externalId, @RequestBody GrantRequest request) {
        Customer customer = customers.getByExternalId(externalId);
        return credits.grant(customer, request.amount(), request.effectiveFrom(), request.expiresAt(),
                request.priority(), request.reason(), currentUser.require().name());
    }

    @GetMapping("/customers/{externalId}/credits")
    List<CreditGrant> credits(@PathVariable String externalId) {
        return credits.grants(customers.getByExternalId(externalId).id());
    }

    @PostMapping(path = "/customers/{externalId}/credits/{grantId}/void", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Void an unused grant (a ledger entry, not an edit)")
    CreditGrant voidGrant(@PathVariable String externalId, @PathVariable long grantId, @RequestBody VoidRequest request) {
        return credits.voidGrant(customers.getByExternalId(externalId), grantId, request.reason(),
                currentUser.require().name());
    }

    @PostMapping(path = "/billing-runs", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Close a month (YYYY-MM) for one customer or all, in the background")
    Map<String, Object> startRun(@RequestBody RunRequest request) {
        YearMonth month = month(request.month());
        Customer customer = request.customer() == null || request.customer().isBlank() ? null
                : customers.getByExternalId(request.customer());
        long id = runs.start(month, customer, currentUser.require().name());
        return Map.of("id", id, "status", "QUEUED", "href", "/api/admin/v1/billing-runs/" + id);
    }

    @GetMapping("/billing-runs")
    List<BillingRun> runs() {
        return runs.recent(50);
    }

    @GetMapping("/billing-runs/{id}")
    @Operation(summary = "A run's status, progress and per-customer outcome")
    BillingRun run(@PathVariable long id) {
        return runs.get(id);
    }

    @GetMapping("/invoices")
    @Operation(summary = "Invoices of a month (YYYY-MM), of one customer or all, in one status (DRAFT, HELD, FAILED, "
            + "FINALIZED) or any; a draft's totals are as of now")
    List<Invoice> invoices(@RequestParam String month, @RequestParam(required = false) @Nullable String customer,
            @RequestParam(required = false) @Nullable String status) {
        if (status != null && !status.isBlank() && !List.of(Invoice.DRAFT, Invoice.HELD, Invoice.FAILED,
                Invoice.FINALIZED).contains(status)) {
            throw new BadRequestException("status must be DRAFT, HELD, FAILED or FINALIZED, got '" + status + "'");
        }
        return invoices.search(month(month), customer == null || customer.isBlank() ? null
                : customers.getByExternalId(customer).id(), status == null || status.isBlank() ? null : status);
    }

    @GetMapping(path = "/invoices/{id}.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    @Operation(summary = "Any customer's final invoice as PDF, byte for byte what the customer downloads")
    ResponseEntity<byte[]> invoicePdf(@PathVariable long id) {
        InvoiceDocuments.Pdf pdf = documents.pdf(id);
        return Downloads.pdf(pdf.number(), pdf.bytes());
    }

    record FinalizeRequest(@Nullable String reason) {
    }

    @PostMapping("/invoices/{id}/finalize")
    @Operation(summary = "Finalize a draft (or a held or failed invoice) now: numbered, immutable, pushed, announced; "
            + "calls not priced yet bill later as late usage. A final invoice is returned unchanged. Audited")
    Invoice finalizeNow(@PathVariable long id, @RequestBody(required = false) @Nullable FinalizeRequest request) {
        return issuing.finalizeNow(id, request == null ? null : request.reason(), currentUser.require().name());
    }

    record HoldRequest(@Nullable Boolean hold, @Nullable String reason) {
    }

    @PostMapping(path = "/customers/{externalId}/billing-hold", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Hold a customer's invoices (hold: true, reason: its drafts wait for finance) or release them "
            + "(hold: false). Audited")
    IssuingJson hold(@PathVariable String externalId, @RequestBody HoldRequest request) {
        if (request.hold() == null) {
            throw new BadRequestException("hold (true or false) is required");
        }
        Customer customer = customers.getByExternalId(externalId);
        issuing.hold(customer, request.hold(), request.reason(), currentUser.require().name());
        return issuing(customer);
    }

    record GraceRequest(@Nullable String gracePeriod, @Nullable String reason) {
    }

    @PutMapping(path = "/customers/{externalId}/grace-period", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A customer's own grace period (gracePeriod: 48h, 3d, PT36H; null for the default); its drafts "
            + "move to the new end. Audited")
    IssuingJson gracePeriod(@PathVariable String externalId, @RequestBody GraceRequest request) {
        Customer customer = customers.getByExternalId(externalId);
        Duration grace;
        try {
            grace = request.gracePeriod() == null || request.gracePeriod().isBlank() ? null
                    : DurationStyle.detectAndParse(request.gracePeriod().strip());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("gracePeriod must be a duration such as 48h, 3d or PT36H, got '"
                    + request.gracePeriod() + "'");
        }
        issuing.setGracePeriod(customer, grace, request.reason(), currentUser.require().name());
        return issuing(customer);
    }

    /** A customer's issuing settings and billing calendar. */
    record IssuingJson(String customer, String billingTimeZone, String gracePeriod, boolean graceOverridden,
            boolean hold, @Nullable String holdReason, List<CalendarMonth> calendar,
            InvoiceIssuing.@Nullable StepFailure issuingFailure) {
    }

    @GetMapping("/customers/{externalId}/billing-calendar")
    @Operation(summary = "A customer's grace period, hold, and each month's invoice state with its next automatic step")
    IssuingJson calendar(@PathVariable String externalId) {
        return issuing(customers.getByExternalId(externalId));
    }

    private IssuingJson issuing(Customer customer) {
        IssuingPolicy policy = issuing.policy(customer.id());
        return new IssuingJson(customer.externalId(), customer.billingTimeZone().getId(),
                policy.gracePeriod().toString(), policy.graceOverridden(), policy.hold(), policy.holdReason(),
                issuing.calendar(customer), issuing.stepFailure(customer.id()).orElse(null));
    }

    record CreditNoteRequest(@Nullable String customer, @Nullable BigDecimal amount, @Nullable String reason) {
    }

    @PostMapping(path = "/invoices/{id}/credit-notes", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Correct a closed invoice with a credit note (customer, amount, reason); the invoice never changes")
    Invoice creditNote(@PathVariable long id, @RequestBody CreditNoteRequest request) {
        if (request.customer() == null) {
            throw new BadRequestException("customer (externalId) is required");
        }
        return invoices.issueCreditNote(customers.getByExternalId(request.customer()), id, request.amount(),
                request.reason(), currentUser.require().name());
    }

    @PostMapping("/invoices/{id}/stripe-push")
    @Operation(summary = "Push a finalised invoice to Stripe now (also the retry after a failure)")
    InvoicePush push(@PathVariable long id) {
        return stripe.push(id);
    }

    @PostMapping("/credit-notes/{id}/stripe-push")
    @Operation(summary = "Push a credit note to Stripe now, as a Stripe credit note against its pushed invoice (also "
            + "the retry after a failure; safe to repeat: nothing is created twice). PENDING while its invoice is not "
            + "in Stripe yet")
    CreditNotePush pushCreditNote(@PathVariable long id) {
        return creditNotes.push(id);
    }

    @GetMapping("/credit-notes/{id}/stripe")
    @Operation(summary = "Where a credit note stands with Stripe: PENDING, PUSHED (with its Stripe id) or FAILED (why)")
    CreditNotePush creditNotePushStatus(@PathVariable long id) {
        return creditNotes.status(id).orElseThrow(() -> new com.voiceledger.shared.NotFoundException("no credit note " + id));
    }

    @GetMapping("/invoices/{id}/stripe")
    InvoicePush pushStatus(@PathVariable long id) {
        return stripe.status(id).orElseThrow(() -> new com.voiceledger.shared.NotFoundException("no finalised invoice " + id));
    }

    record SuspensionRequest(@Nullable Boolean suspended, @Nullable String reason) {
    }

    @PostMapping(path = "/customers/{externalId}/suspension", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Suspend (or resume) a customer: its new calls are refused at admission")
    SpendStatus suspend(@PathVariable String externalId, @RequestBody SuspensionRequest request) {
        return spendCaps.suspend(customers.getByExternalId(externalId), !Boolean.FALSE.equals(request.suspended()),
                request.reason(), currentUser.require().name());
    }

    @GetMapping("/customers/{externalId}/spend")
    SpendStatus spend(@PathVariable String externalId) {
        return spendCaps.status(customers.getByExternalId(externalId));
    }

    @GetMapping("/alerts")
    @Operation(summary = "Every customer's alerts, newest first")
    List<Alert> alerts() {
        return alerts.recent(200);
    }

    private static YearMonth month(@Nullable String month) {
        return com.voiceledger.shared.InputBounds.month("month", month);
    }
}
