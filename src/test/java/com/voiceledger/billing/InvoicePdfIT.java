package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.support.Deliveries;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A final invoice as the PDF a finance team sends (issue #31): downloaded by the customer and by finance over
 * HTTP, the same bytes every time, and read back with PDFBox's text extraction: number, parties, dates, every
 * line's amount and the totals as BILLING-RULES gives them (two calls of 192 s at 0.10 a minute, billed per
 * second: 6.4 minutes, 0.64). Another customer's invoice is not found; a draft has no PDF.
 */
@IntegrationTest
class InvoicePdfIT {

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    InvoiceService invoices;
    @Autowired
    TestFixtures fixtures;

    Http http() {
        return new Http(port);
    }

    void call(Customer customer, String start) {
        Deliveries.call(port, customer.externalId(), start);
    }

    byte[] download(String path, String token) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
        return response.body();
    }

    static String text(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }

    @Test
    void aFinalInvoiceDownloadsAsTheSamePdfEveryTimeWithEveryAmountReadableInIt() throws Exception {
        Samples samples = Samples.fresh();
        Customer customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Pdf Health Ltd", "USD",
                "America/New_York"));
        Http.Response contract = http().post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "2025-03-01T05:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "billingIncrementSeconds": 1, "reason": "pdf test"}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
        call(customer, "2025-03-10T15:00:00Z");
        call(customer, "2025-03-20T15:00:00Z");
        Invoice invoice = invoices.close(customer, YearMonth.of(2025, 3)).invoice();
        assertThat(invoice.total()).isEqualByComparingTo("0.64");

        String key = fixtures.apiKey(customer);
        byte[] first = download("/api/v1/invoices/" + invoice.id() + ".pdf", key);
        byte[] again = download("/api/v1/invoices/" + invoice.id() + ".pdf", key);
        byte[] finance = download("/api/admin/v1/invoices/" + invoice.id() + ".pdf", TestFixtures.ADMIN_TOKEN);
        assertThat(again).as("byte for byte").isEqualTo(first);
        assertThat(finance).as("finance's copy is the customer's").isEqualTo(first);
        assertThat(new String(first, 0, 5)).isEqualTo("%PDF-");

        String text = text(first);
        assertThat(text).contains("Invoice " + invoice.number())
                .contains("VoiceLedger Inc.")
                .contains("Pdf Health Ltd")
                .contains("Customer " + customer.externalId())
                .contains("Billing month 2025-03 (America/New_York)")
                .contains("Subtotal " + plain(invoice.subtotal()))
                .contains("Credits " + plain(invoice.credits()))
                .contains("Total 0.64 USD")
                .contains("/invoices/" + invoice.id());
        for (InvoiceLine line : invoice.lines()) {
            assertThat(text).contains(line.description()).contains(plain(line.amount()));
        }
        assertThat(invoice.lines()).extracting(InvoiceLine::amount).extracting(BigDecimal::toPlainString)
                .containsExactly("0.64");
        assertThat(text).contains("Issued ").contains("(payment within 30 days)");
    }

    @Test
    void aCreditNoteIsNumberedInItsOwnSeriesTitledSoOnItsPdfAndIsNeverItselfCorrected() throws Exception {
        Samples samples = Samples.fresh();
        Customer customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Pdf Credit Ltd", "USD",
                "UTC"));
        Http.Response contract = http().post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "2025-04-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "billingIncrementSeconds": 1, "reason": "pdf credit note test"}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
        call(customer, "2025-04-10T15:00:00Z");
        Invoice invoice = invoices.close(customer, YearMonth.of(2025, 4)).invoice();
        // decision 0071: the year is the finalization's (UTC), not the billing month's
        int year = invoice.finalizedAt().atZone(java.time.ZoneOffset.UTC).getYear();
        assertThat(invoice.number()).matches("VL-" + year + "-\\d{6}");

        Invoice note = invoices.issueCreditNote(customer, invoice.id(), new BigDecimal("0.10"), "dropped call", "finance");
        assertThat(note.number()).matches("VL-CN-" + year + "-\\d{6}");
        String key = fixtures.apiKey(customer);
        assertThat(text(download("/api/v1/invoices/" + note.id() + ".pdf", key))).contains("Credit note " + note.number())
                .contains("Total -0.10 USD");
        assertThat(text(download("/api/v1/invoices/" + invoice.id() + ".pdf", key)))
                .contains("Invoice " + invoice.number()).doesNotContain("Credit note");
        assertThatThrownBy(() -> invoices.issueCreditNote(customer, note.id(), new BigDecimal("0.01"), "again", "finance"))
                .isInstanceOf(com.voiceledger.shared.BadRequestException.class)
                .hasMessageContaining("credit notes correct invoices, not other credit notes");
    }

    @Test
    void anotherCustomersInvoiceIsNotFoundAndADraftHasNoPdf() throws Exception {
        Customer other = fixtures.customer("pdf-other-" + System.nanoTime());
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/invoices/1.pdf"))
                .header("Authorization", "Bearer " + fixtures.apiKey(other)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);

        Invoice draft = new Invoice(7, other.id(), "DRAFT-7", YearMonth.of(2026, 11), Invoice.DRAFT, "USD",
                BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ONE, null, Instant.parse("2026-12-02T05:00:00Z"), null, List.of());
        assertThatThrownBy(() -> InvoicePdf.render(draft, other, null, new InvoiceIssuer("X", List.of(), "", 30, "http://x", "US")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("a PDF is made once it is final");
    }

    static String plain(BigDecimal value) {
        return value.toPlainString();
    }
}
