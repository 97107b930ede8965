package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.Clock;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The commitment and credit burn-down a customer reads, for the period in progress. */
@IntegrationTest
class BurnDownIT {

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    Clock clock;

    @Test
    void theCommitmentShowsWhatIsUsedWhatIsLeftAndTheExpectedShortfall() {
        Http http = new Http(port);
        LocalDate today = LocalDate.now(clock);
        Samples samples = Samples.fresh().onDay(today);
        Customer customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Burn", "USD", "UTC"));
        String key = fixtures.apiKey(customer);
        http.post("/api/admin/v1/customers/" + customer.externalId() + "/contracts", "application/json", """
                {"effectiveFrom": "%sT00:00:00Z", "pricingModel": "RATE_CARD", "reason": "committed",
                 "overrides": [{"layer": "platform", "provider": "*", "model": "*", "unit": "minute", "unitPrice": "0.05"}],
                 "commitment": {"amount": "10", "period": "MONTH", "prepaid": false}}
                """.formatted(today.withDayOfMonth(1))).bearer(TestFixtures.ADMIN_TOKEN).send();
        http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();

        JsonNode commitment = http.get("/api/v1/commitments").bearer(key).send().json().get(0);
        // platform 3.2 min × 0.05 = 0.16 used; other layers may be priced by whatever card is in force
        assertThat(commitment.path("level").asString()).isEqualTo("10");
        assertThat(commitment.path("periodStart").asString()).isEqualTo(today.withDayOfMonth(1).toString());
        assertThat(commitment.path("usedToDate").asString()).isNotEqualTo("0.00");
        assertThat(new java.math.BigDecimal(commitment.path("remaining").asString())
                .add(new java.math.BigDecimal(commitment.path("usedToDate").asString()))).isEqualByComparingTo("10");
        // no history: run rate 0, so the expected shortfall is what is left
        assertThat(commitment.path("dailyRunRate").asString()).isEqualTo("0.000000");
        assertThat(commitment.path("projectedShortfall").asString()).isEqualTo(commitment.path("remaining").asString());
        assertThat(commitment.path("daily").size()).isEqualTo(1);

        http.post("/api/admin/v1/customers/" + customer.externalId() + "/credits", "application/json",
                "{\"amount\":\"5.00\",\"reason\":\"welcome\"}").bearer(TestFixtures.ADMIN_TOKEN).send();
        JsonNode credit = http.get("/api/v1/credits/burn-down").bearer(key).send().json().get(0);
        assertThat(credit.path("what").asString()).isEqualTo("Credit: welcome");
        assertThat(credit.path("remaining").asString()).isEqualTo("5.00");
    }
}
