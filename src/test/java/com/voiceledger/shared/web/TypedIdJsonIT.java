package com.voiceledger.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.billing.BillingRuns;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A typed id ({@link CustomerId}) is the plain number it wraps in every JSON answer and in the OpenAPI
 * document, never {@code {"value": n}}; the app's JSON mapper reads both shapes back (events stored
 * before the change hold the old one).
 */
@IntegrationTest
class TypedIdJsonIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    VapiIngest ingest;
    @Autowired
    BillingRuns runs;
    @Autowired
    JsonMapper json;

    @Test
    void theAdminInvoiceListAndCreditGrantsShowTheCustomersIdAsAPlainNumber() {
        Samples samples = Samples.fresh().onDay(LocalDate.of(2013, 2, 14));
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));
        runs.start(YearMonth.of(2013, 2), customer, "test");
        runs.runQueued();
        Http http = new Http(port);

        JsonNode invoices = http.get("/api/admin/v1/invoices?month=2013-02&customer=" + customer.externalId())
                .bearer(TestFixtures.ADMIN_TOKEN).send().json();
        assertThat(invoices.size()).isEqualTo(1);
        JsonNode customerId = invoices.get(0).path("customerId");
        assertThat(customerId.isIntegralNumber()).as("customerId is %s", customerId).isTrue();
        assertThat(customerId.asLong()).isEqualTo(customer.id().value());

        Http.Response granted = http.post("/api/admin/v1/customers/" + customer.externalId() + "/credits",
                "application/json", "{\"amount\": \"5\", \"effectiveFrom\": \"2013-01-01T00:00:00Z\", "
                        + "\"priority\": 1, \"reason\": \"typed id\"}").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
        JsonNode grants = http.get("/api/admin/v1/customers/" + customer.externalId() + "/credits")
                .bearer(TestFixtures.ADMIN_TOKEN).send().json();
        assertThat(grants.get(0).path("customerId").isIntegralNumber()).as("grant %s", grants.get(0)).isTrue();
        assertThat(grants.get(0).path("customerId").asLong()).isEqualTo(customer.id().value());
    }

    @Test
    void theOpenApiDocumentDescribesATypedIdAsAnInteger() {
        JsonNode schemas = new Http(port).get("/v3/api-docs").send().json().path("components").path("schemas");
        JsonNode customerId = schemas.path("Invoice").path("properties").path("customerId");
        assertThat(customerId.path("type").asString()).as("Invoice.customerId is %s", customerId).isEqualTo("integer");
        assertThat(schemas.has("CustomerId")).isFalse();
    }

    @Test
    void theMapperWritesTheNumberAndReadsTheNumberAndTheOldObjectShape() {
        assertThat(json.writeValueAsString(CustomerId.of(42))).isEqualTo("42");
        assertThat(json.readValue("42", CustomerId.class)).isEqualTo(CustomerId.of(42));
        assertThat(json.readValue("{\"value\": 42}", CustomerId.class)).isEqualTo(CustomerId.of(42));
    }
}
