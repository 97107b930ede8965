package com.voiceledger.portal;

import com.voiceledger.billing.BurnDown;
import com.voiceledger.billing.BurnDowns;
import com.voiceledger.billing.CreditGrant;
import com.voiceledger.billing.CreditService;
import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceDocuments;
import com.voiceledger.billing.InvoiceLine;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.customer.Customer;
import com.voiceledger.stripe.InvoicePush;
import com.voiceledger.stripe.StripePushes;
import com.voiceledger.shared.Csv;
import com.voiceledger.shared.web.Downloads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A customer's invoices (finalised and upcoming) and credits; another customer's invoice is a 404. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Customer")
class BillingApiController {

    private final CustomerScope scope;
    private final InvoiceService invoices;
    private final CreditService credits;
    private final StripePushes stripe;
    private final BurnDowns burnDowns;
    private final InvoiceDocuments documents;

    BillingApiController(CustomerScope scope, InvoiceService invoices, CreditService credits, StripePushes stripe,
            BurnDowns burnDowns, InvoiceDocuments documents) {
        this.documents = documents;
        this.burnDowns = burnDowns;
        this.stripe = stripe;
        this.scope = scope;
        this.invoices = invoices;
        this.credits = credits;
    }

    @GetMapping("/invoices")
    @Operation(summary = "Invoices, newest first: final ones, and drafts (status DRAFT or HELD, with finalizesAt) with their totals as of now")
    List<InvoiceJson> invoices(@RequestParam(required = false) @Nullable String customer) {
        Customer owner = scope.resolve(customer);
        return invoices.invoices(owner.id()).stream()
                .map(invoice -> InvoiceJson.of(invoice, paymentStatus(invoice.id()), false)).toList();
    }

    @GetMapping("/invoices/upcoming")
    @Operation(summary = "The draft of the month in progress, as it stands now")
    InvoiceJson upcoming(@RequestParam(required = false) @Nullable String customer) {
        return InvoiceJson.of(invoices.upcoming(scope.resolve(customer)), null, true);
    }

    @GetMapping("/invoices/{id}")
    @Operation(summary = "One invoice with every line and its explanation")
    InvoiceJson invoice(@PathVariable long id, @RequestParam(required = false) @Nullable String customer) {
        Invoice invoice = invoices.get(scope.resolve(customer).id(), id);
        return InvoiceJson.of(invoice, paymentStatus(id), true).addressedTo(documents.billingDetails(invoice).orElse(null));
    }

    @GetMapping(path = "/invoices/{id}.csv", produces = "text/csv")
    @Operation(summary = "An invoice's lines as CSV")
    void invoiceCsv(@PathVariable long id, @RequestParam(required = false) @Nullable String customer,
            HttpServletResponse response) throws IOException {
        Invoice invoice = invoices.get(scope.resolve(customer).id(), id);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + invoice.number() + ".csv\"");
        try (Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)) {
            out.write("invoice,month,line,kind,description,quantity,unit,unit_price,amount,currency\r\n");
            int no = 0;
            for (InvoiceLine line : invoice.lines()) {
                out.write(Stream.of(invoice.number(), invoice.month(), ++no, line.kind().wireName(), line.description(),
                                plain(line.quantity()), line.unit(), plain(line.unitPrice()), plain(line.amount()),
                                invoice.currency())
                        .map(Csv::field).collect(Collectors.joining(",")) + "\r\n");
            }
            out.write(Stream.of(invoice.number(), invoice.month(), "", "total", "subtotal " + plain(invoice.subtotal())
                            + ", credits " + plain(invoice.credits()), "", "", "", plain(invoice.total()), invoice.currency())
                    .map(Csv::field).collect(Collectors.joining(",")) + "\r\n");
        }
    }

    @GetMapping(path = "/invoices/{id}.html", produces = MediaType.TEXT_HTML_VALUE)
    @Operation(summary = "A print-ready invoice (print or save as PDF from the browser)")
    String invoiceHtml(@PathVariable long id, @RequestParam(required = false) @Nullable String customer) {
        Customer owner = scope.resolve(customer);
        return InvoiceHtml.render(invoices.get(owner.id(), id), owner);
    }

    @GetMapping(path = "/invoices/{id}.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    @Operation(summary = "A final invoice as PDF (the same bytes at every download); a draft has none yet (409)")
    ResponseEntity<byte[]> invoicePdf(@PathVariable long id, @RequestParam(required = false) @Nullable String customer) {
        InvoiceDocuments.Pdf pdf = documents.pdf(scope.resolve(customer).id(), id);
        return Downloads.pdf(pdf.number(), pdf.bytes());
    }

    @GetMapping("/commitments")
    @Operation(summary = "The current commitment period: committed, used, remaining, projection")
    List<BurnDown> commitments(@RequestParam(required = false) @Nullable String customer) {
        return burnDowns.commitment(scope.resolve(customer)).stream().toList();
    }

    @GetMapping("/credits/burn-down")
    @Operation(summary = "Each credit grant with a balance: used, remaining, projection at the current run rate")
    List<BurnDown> creditBurnDown(@RequestParam(required = false) @Nullable String customer) {
        return burnDowns.credits(scope.resolve(customer));
    }

    @GetMapping("/credits")
    @Operation(summary = "Credit grants with their balance and ledger entries")
    List<CreditGrant> credits(@RequestParam(required = false) @Nullable String customer) {
        return credits.grants(scope.resolve(customer).id());
    }

    private @Nullable String paymentStatus(long invoiceId) {
        return stripe.status(invoiceId).map(InvoicePush::paymentStatus).orElse(null);
    }

    private static @Nullable String plain(java.math.@Nullable BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

}
