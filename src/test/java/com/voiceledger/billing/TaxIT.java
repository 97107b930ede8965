package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.support.Deliveries;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.YearMonth;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A configured tax rate on a real invoice (decision 0079): a one-call month (192 s at 0.10 a minute, billed per
 * second: 3.2 minutes, 0.32), 19% tax on it (0.32 × 0.19 = 0.0608 → 0.06), the total 0.38 in the JSON, the PDF and
 * the lines; and in the revenue journal the tax goes to the tax-payable account, never revenue, while the month's
 * check still holds. An exempt customer's invoice carries a tax line of 0.
 */
@IntegrationTest
class TaxIT {

    static final YearMonth MONTH = YearMonth.of(2025, 7);

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

    Customer oneCallMonth(String name) {
        Samples samples = Samples.fresh();
        Customer customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), name, "USD", "UTC"));
        Http.Response contract = http().post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "2025-07-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "billingIncrementSeconds": 1, "reason": "tax test"}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
        Deliveries.call(port, customer.externalId(), "2025-07-10T15:00:00Z");
        Http.Response rate = http().put("/api/admin/v1/customers/" + customer.externalId() + "/tax-rate",
                "application/json", "{\"rate\": \"0.19\", \"label\": \"Sales tax 19%\"}").bearer(TestFixtures.ADMIN_TOKEN)
                .send();
        assertThat(rate.status()).as(rate.toString()).isEqualTo(200);
        return customer;
    }

    @Test
    void theTaxIsALineInTheTotalAndThePdfAndGoesToTheTaxAccountNotRevenue() throws Exception {
        Customer customer = oneCallMonth("Taxed Co " + System.nanoTime());
        Invoice invoice = invoices.close(customer, MONTH).invoice();
        String key = fixtures.apiKey(customer);

        JsonNode json = http().get("/api/v1/invoices/" + invoice.id()).bearer(key).send().json();
        assertThat(json.path("subtotal").asString()).isEqualTo("0.32");
        assertThat(json.path("tax").asString()).isEqualTo("0.06");
        assertThat(json.path("total").asString()).isEqualTo("0.38");
        JsonNode tax = json.path("lines").get(json.path("lines").size() - 1);
        assertThat(tax.path("kind").asString()).isEqualTo("tax");
        assertThat(tax.path("description").asString()).isEqualTo("Sales tax 19%");
        assertThat(tax.path("amount").asString()).isEqualTo("0.06");

        String pdf = text(download("/api/v1/invoices/" + invoice.id() + ".pdf", key));
        assertThat(pdf).contains("Subtotal 0.32").contains("Tax 0.06").contains("Total 0.38 USD").contains("Sales tax 19%");

        JsonNode revenue = http().get("/api/admin/v1/revenue?month=" + MONTH + "&customer=" + customer.externalId())
                .bearer(TestFixtures.ADMIN_TOKEN).send().json();
        JsonNode row = revenue.path("customers").get(0);
        assertThat(row.path("recognized").path("total").asString()).as("tax is not revenue").isEqualTo("0.32");
        assertThat(row.path("check").path("ok").asBoolean()).isTrue();

        List<String> journal = http().get("/api/admin/v1/revenue/journal.csv?month=" + MONTH)
                .bearer(TestFixtures.ADMIN_TOKEN).send().body().lines()
                .filter(line -> line.contains("," + customer.externalId() + ",")).toList();
        // Dr receivable 0.32 / Cr usage 0.32, and Dr receivable 0.06 / Cr tax payable 0.06
        assertThat(journal).anyMatch(line -> line.contains(",2200,0.00,0.06,"));
        assertThat(journal).anyMatch(line -> line.contains(",4000,0.00,0.32,"));
        assertThat(journal).noneMatch(line -> line.contains(",4000,0.00,0.38,"));
        assertThat(journal.stream().map(line -> line.split(",")).map(cells -> new java.math.BigDecimal(cells[2])
                .subtract(new java.math.BigDecimal(cells[3]))).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add))
                .as("the customer's entries balance").isEqualByComparingTo("0");
    }

    @Test
    void anExemptCustomersInvoiceCarriesATaxLineOfZero() {
        Customer customer = oneCallMonth("Exempt Co " + System.nanoTime());
        Http.Response exempt = http().put("/api/admin/v1/customers/" + customer.externalId() + "/billing-details",
                "application/json", """
                {"legalName": "Exempt Co", "address": {"line1": "1 Main St", "city": "Austin", "region": "TX",
                 "country": "US"}, "taxExempt": true}""").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(exempt.status()).as(exempt.toString()).isEqualTo(200);
        Invoice invoice = invoices.close(customer, MONTH).invoice();
        assertThat(invoice.total()).isEqualByComparingTo("0.32");
        assertThat(invoice.tax()).isEqualByComparingTo("0");
        assertThat(invoice.lines()).filteredOn(line -> line.kind() == LineKind.TAX).singleElement()
                .satisfies(line -> assertThat(line.description()).isEqualTo("Sales tax 19%: exempt"));
    }

    byte[] download(String path, String token) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        return response.body();
    }

    static String text(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }
}
