package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.support.FreeRates;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
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

    /**
     * Hand-worked, with today's date as the only input: a yearly commitment of 10, every call 3.2 min ×
     * 0.05 = 0.16 (every other layer free), one call two days ago, two yesterday, one today. The run rate
     * is the 14 days before today: 3 × 0.16 = 0.48 / 14 = 0.0342857… → 0.034286 a day; the projection
     * adds that for each day left after today until the year ends.
     */
    @Test
    void theCommitmentShowsWhatIsUsedWhatIsLeftTheRunRateAndTheProjectedShortfall() {
        Http http = new Http(port);
        LocalDate today = LocalDate.now(clock);
        Samples first = Samples.fresh().onDay(today);
        Customer customer = customers.create(NewCustomer.parse(first.id(Samples.ACME), "Burn", "USD", "UTC"));
        String key = fixtures.apiKey(customer);
        Http.Response contract = http.post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "%sT00:00:00Z", "pricingModel": "RATE_CARD", "reason": "committed",
                 "overrides": [{"layer": "platform", "provider": "*", "model": "*", "unit": "minute", "unitPrice": "0.05"},
                               %s],
                 "commitment": {"amount": "10", "period": "YEAR", "prepaid": false}}
                """.formatted(today.minusDays(20), FreeRates.json("platform"))).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
        LocalDate periodStart = today.withDayOfYear(1);
        int inPeriod = 0;
        for (LocalDate day : List.of(today.minusDays(2), today.minusDays(1), today.minusDays(1), today)) {
            Samples call = Samples.fresh().onDay(day);
            Http.Response stored = http.post("/webhooks/vapi", "application/json", call.text(Samples.EOCR)
                            .replace(call.id(Samples.ACME), customer.externalId()))
                    .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
            assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
            inPeriod += day.isBefore(periodStart) ? 0 : 1; // on January 1 and 2 some calls are last year's
        }

        JsonNode commitment = http.get("/api/v1/commitments").bearer(key).send().json().get(0);
        BigDecimal used = new BigDecimal("0.16").multiply(BigDecimal.valueOf(inPeriod)); // 0.64 most days
        BigDecimal rate = new BigDecimal("0.034286");
        long daysLeft = ChronoUnit.DAYS.between(today, periodStart.plusYears(1)) - 1;
        BigDecimal projected = used.add(rate.multiply(BigDecimal.valueOf(daysLeft))).setScale(2, RoundingMode.HALF_EVEN);
        assertThat(commitment.path("level").asString()).isEqualTo("10");
        assertThat(commitment.path("periodStart").asString()).isEqualTo(periodStart.toString());
        assertThat(new BigDecimal(commitment.path("usedToDate").asString())).isEqualByComparingTo(used);
        assertThat(new BigDecimal(commitment.path("remaining").asString()))
                .isEqualByComparingTo(BigDecimal.TEN.subtract(used));
        assertThat(commitment.path("dailyRunRate").asString()).isEqualTo("0.034286");
        assertThat(new BigDecimal(commitment.path("projectedUse").asString())).as("%d days left", daysLeft)
                .isEqualByComparingTo(projected);
        assertThat(new BigDecimal(commitment.path("projectedShortfall").asString())).as("%d days left", daysLeft)
                .isEqualByComparingTo(BigDecimal.TEN.subtract(projected).max(BigDecimal.ZERO));
        // e.g. on December 8: 23 days left, 0.64 + 23 × 0.034286 = 1.428578 → 1.43, shortfall 8.57
        // one point per day with calls in the period: three most days
        assertThat(commitment.path("daily").size()).isEqualTo((int) List.of(today.minusDays(2), today.minusDays(1), today)
                .stream().filter(day -> !day.isBefore(periodStart)).count());

        http.post("/api/admin/v1/customers/" + customer.externalId() + "/credits", "application/json",
                "{\"amount\":\"5.00\",\"reason\":\"welcome\"}").bearer(TestFixtures.ADMIN_TOKEN).send();
        JsonNode credit = http.get("/api/v1/credits/burn-down").bearer(key).send().json().get(0);
        assertThat(credit.path("what").asString()).isEqualTo("Credit: welcome");
        assertThat(credit.path("remaining").asString()).isEqualTo("5.00");
        assertThat(credit.path("dailyRunRate").asString()).isEqualTo("0.034286");
        // 5.00 / 0.034286 = 145.83… → used up on the 146th day from today
        assertThat(credit.path("exhaustedOn").asString()).isEqualTo(today.plusDays(146).toString());
    }
}
