package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserService;
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
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Billing details (issue #31, decision 0077) over real HTTP: who may read and write them, how wrong ones are
 * refused, the audit of each change, and that a final invoice prints (PDF) and shows (JSON) the details it was
 * issued with, also after the customer changes them.
 */
@IntegrationTest
class BillingDetailsIT {

    static final String ACME_GMBH = """
            {"legalName": "Acme Sprachdienste GmbH", "address": {"line1": "Friedrichstraße 123", "line2": "3. OG",
             "city": "Berlin", "postalCode": "10117", "region": null, "country": "de"},
             "taxId": "DE123456789", "purchaseOrder": "PO-2025-0042",
             "billingEmails": ["ap@acme.example", "controller@acme.example"]}
            """;

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    InvoiceService invoices;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    UserService users;
    @Autowired
    JdbcClient jdbc;

    Http http() {
        return new Http(port);
    }

    Http.Response financePut(Customer customer, String json) {
        return http().put("/api/admin/v1/customers/" + customer.externalId() + "/billing-details", "application/json", json)
                .bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    Http.Response sessionPut(String session, String json) {
        return http().put("/api/v1/billing-details", "application/json", json).header("Cookie", session)
                .header("X-Requested-With", "XMLHttpRequest").send();
    }

    @Test
    void theCustomersAdminSetsTheDetailsItsKeyOnlyReadsThemAndOnlyFinanceExemptsFromTax() {
        Customer customer = fixtures.customer("details-" + UUID.randomUUID());
        String key = fixtures.apiKey(customer);
        String admin = "details-admin-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(admin, "Ada Admin", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        String session = http().signIn(admin, "password-123");

        assertThat(http().get("/api/v1/billing-details").bearer(key).send().status()).isEqualTo(404);
        Http.Response byKey = http().put("/api/v1/billing-details", "application/json", ACME_GMBH).bearer(key).send();
        assertThat(byKey.status()).as("an API key may not write").isEqualTo(403);
        // positive control: the same request from the customer's admin is stored
        Http.Response byAdmin = sessionPut(session, ACME_GMBH);
        assertThat(byAdmin.status()).as(byAdmin.toString()).isEqualTo(200);

        Http.Response read = http().get("/api/v1/billing-details").bearer(key).send();
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("legalName").asString()).isEqualTo("Acme Sprachdienste GmbH");
        assertThat(read.json().path("address").path("country").asString()).as("normalised").isEqualTo("DE");
        assertThat(read.json().path("billingEmails").get(1).asString()).isEqualTo("controller@acme.example");
        assertThat(read.json().path("taxExempt").asBoolean()).isFalse();
        assertThat(http().get("/api/admin/v1/customers/" + customer.externalId() + "/billing-details")
                .bearer(TestFixtures.ADMIN_TOKEN).send().json().path("taxId").asString()).isEqualTo("DE123456789");

        String exempt = ACME_GMBH.replace("\"billingEmails\"", "\"taxExempt\": true, \"billingEmails\"");
        Http.Response selfExempt = sessionPut(session, exempt);
        assertThat(selfExempt.status()).isEqualTo(400);
        assertThat(selfExempt.body()).contains("taxExempt is set by finance");
        assertThat(financePut(customer, exempt).status()).isEqualTo(200);
        // the admin's next edit, without taxExempt, keeps finance's exemption
        assertThat(sessionPut(session, ACME_GMBH.replace("PO-2025-0042", "PO-2025-0043")).json().path("taxExempt")
                .asBoolean()).isTrue();

        java.util.List<String> actors = jdbc.sql("select actor from audit_entry where action = 'billing.details' "
                + "and subject = ? order by id").param("customer " + customer.id()).query(String.class).list();
        assertThat(actors).as("three changes, the refused ones not among them").hasSize(3);
        assertThat(actors.get(0)).isEqualTo(admin);
        assertThat(actors.get(1)).as("finance").isNotEqualTo(admin);
        assertThat(actors.get(2)).isEqualTo(admin);
        assertThat(jdbc.sql("select details::text from audit_entry where action = 'billing.details' and subject = ? "
                        + "order by id desc limit 1").param("customer " + customer.id()).query(String.class).single())
                .contains("PO-2025-0042").contains("PO-2025-0043");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "\"legalName\": \" \"|legalName is required",
            "\"country\": \"XX\"|address.country must be an ISO 3166-1 alpha-2 code",
            "\"city\": null|address.city is required",
            "\"billingEmails\": [\"ap@acme\"]|billingEmails: 'ap@acme' is not an e-mail address",
            "\"billingEmails\": [\"a@b.example\", \"A@b.example\"]|billingEmails lists 'A@b.example' twice",
            "\"taxId\": \"DE 123;drop\"|taxId may hold letters, digits, spaces and . - / only",
            "\"purchaseOrder\": \"PO\\u0007\"|purchaseOrder may not contain control characters",
            "\"address\": null|address is required"})
    void wrongDetailsAreRefusedWithA400NamingTheFieldAndNothingIsStored(String change, String message) {
        Customer customer = fixtures.customer("details-bad-" + UUID.randomUUID());
        String valid = """
                {"legalName": "Globex LLC", "address": {"line1": "1 Main St", "city": "Springfield", "country": "US"},
                 "billingEmails": ["ap@globex.example"]}""";
        String field = change.substring(1, change.indexOf('"', 1));
        String wrong = switch (field) {
            case "country", "city" -> valid.replaceFirst("\"" + field + "\": \"[^\"]*\"", java.util.regex.Matcher.quoteReplacement(change));
            case "legalName", "billingEmails" -> valid.replaceFirst("\"" + field + "\": (\"[^\"]*\"|\\[[^]]*])",
                    java.util.regex.Matcher.quoteReplacement(change));
            case "address" -> valid.replaceFirst("\"address\": \\{[^}]*}", java.util.regex.Matcher.quoteReplacement(change));
            default -> valid.replace("\"billingEmails\"", change + ", \"billingEmails\"");
        };
        Http.Response refused = financePut(customer, wrong);
        assertThat(refused.status()).as(wrong).isEqualTo(400);
        assertThat(refused.body()).contains(message);
        assertThat(http().get("/api/admin/v1/customers/" + customer.externalId() + "/billing-details")
                .bearer(TestFixtures.ADMIN_TOKEN).send().status()).isEqualTo(404);
        // positive control: the valid details are stored
        assertThat(financePut(customer, valid).status()).isEqualTo(200);
    }

    @Test
    void aFinalInvoicePrintsTheDetailsItWasIssuedWithAndKeepsThemWhenTheyChangeLater() throws Exception {
        Samples samples = Samples.fresh();
        Customer customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Acme short name", "EUR", "UTC"));
        Http.Response contract = http().post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "2025-05-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "billingIncrementSeconds": 1, "reason": "billing details test"}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
        Deliveries.call(port, customer.externalId(), "2025-05-10T15:00:00Z");
        assertThat(financePut(customer, ACME_GMBH).status()).isEqualTo(200);
        Invoice invoice = invoices.close(customer, YearMonth.of(2025, 5)).invoice();
        String key = fixtures.apiKey(customer);

        byte[] pdf = download("/api/v1/invoices/" + invoice.id() + ".pdf", key);
        String text = text(pdf);
        assertThat(text).contains("Acme Sprachdienste GmbH").contains("Friedrichstraße 123").contains("3. OG")
                .contains("10117 Berlin").contains("Germany").contains("Tax id DE123456789")
                .contains("Purchase order PO-2025-0042").contains("Customer " + customer.externalId())
                .doesNotContain("Acme short name");
        Http.Response json = http().get("/api/v1/invoices/" + invoice.id()).bearer(key).send();
        assertThat(json.json().path("billingDetails").path("legalName").asString()).isEqualTo("Acme Sprachdienste GmbH");
        assertThat(json.json().path("billingDetails").path("purchaseOrder").asString()).isEqualTo("PO-2025-0042");

        assertThat(financePut(customer, ACME_GMBH.replace("Acme Sprachdienste GmbH", "Acme Renamed AG")).status())
                .isEqualTo(200);
        assertThat(download("/api/v1/invoices/" + invoice.id() + ".pdf", key)).as("the issued document, byte for byte")
                .isEqualTo(pdf);
        assertThat(http().get("/api/v1/invoices/" + invoice.id()).bearer(key).send().json().path("billingDetails")
                .path("legalName").asString()).isEqualTo("Acme Sprachdienste GmbH");
        // the next document (a credit note) is addressed with the details as they are now
        Invoice note = invoices.issueCreditNote(customer, invoice.id(), new java.math.BigDecimal("0.01"), "goodwill",
                "finance");
        assertThat(text(download("/api/v1/invoices/" + note.id() + ".pdf", key))).contains("Acme Renamed AG");
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
