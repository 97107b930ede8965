package com.voiceledger.rating;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.spendcap.Alert;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Margins on hand-worked calls, finance-only alerts, and who may see the provider's cost. */
@IntegrationTest
class MarginIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    Alerts alerts;
    @Autowired
    RatingJobs jobs;

    Http http;

    Http.Response admin(String path, String json) {
        return http.post(path, "application/json", json).bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    void deliver(String body) {
        assertThat(http.post("/webhooks/vapi", "application/json", body).header("X-Vapi-Secret", TestFixtures.VAPI_SECRET)
                .send().status()).isEqualTo(200);
    }

    void contract(Customer customer, LocalDate from, String terms) {
        Http.Response response = admin("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "{\"effectiveFrom\": \"" + from + "T00:00:00Z\", \"reason\": \"margin test\", " + terms + "}");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    Map<String, JsonNode> margins(String month, String groupBy) {
        Map<String, JsonNode> rows = new HashMap<>();
        http.get("/api/admin/v1/margins?month=" + month + "&groupBy=" + groupBy).bearer(TestFixtures.ADMIN_TOKEN).send()
                .json().forEach(row -> rows.put(row.path("key").asString(), row));
        return rows;
    }

    @Test
    void aLongCallOnACheapPerMinuteContractLosesMoneyAndAlertsFinanceOnce() {
        http = new Http(port);
        LocalDate day = LocalDate.of(2008, 3, 10);
        Samples samples = Samples.fresh().onDay(day);
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        contract(customer, day.withDayOfMonth(1), "\"pricingModel\": \"PER_MINUTE\", \"perMinuteRate\": \"0.09\"");
        // 20 minutes; the platform reports 2.40 of provider cost (the vapi entry raised to make it so)
        String longCall = samples.text(Samples.EOCR)
                .replace(day + "T14:08:24.100Z", day + "T14:25:12.100Z")
                .replace("\"cost\": 0.16", "\"cost\": 2.221715");
        deliver(longCall);
        // charge 20 × 0.09 = 1.80; cost 2.40; margin −0.60 = −25 % of the cost
        JsonNode row = margins("2008-03", "customer").get(customer.externalId());
        assertThat(row.path("charge").asString()).isEqualTo("1.8000");
        assertThat(row.path("providerCost").asString()).isEqualTo("2.4000");
        assertThat(row.path("margin").asString()).isEqualTo("-0.6000");
        assertThat(row.path("marginPercent").asString()).isEqualTo("-25.00");

        Samples again = Samples.fresh().onDay(day);
        deliver(again.text(Samples.EOCR).replace(again.id(Samples.ACME), customer.externalId())
                .replace(day + "T14:08:24.100Z", day + "T14:25:12.100Z").replace("\"cost\": 0.16", "\"cost\": 2.221715"));
        List<Alert> margin = alerts.recent(500).stream().filter(a -> a.customerId() == customer.id().value())
                .filter(a -> a.kind().startsWith("MARGIN")).toList();
        assertThat(margin).extracting(Alert::kind).containsExactlyInAnyOrder("MARGIN_CALL", "MARGIN_MONTH");
        String key = fixtures.apiKey(customer);
        assertThat(http.get("/api/v1/alerts").bearer(key).send().body()).doesNotContain("MARGIN");
        JsonNode worst = http.get("/api/admin/v1/margins/calls?customer=" + customer.externalId() + "&month=2008-03")
                .bearer(TestFixtures.ADMIN_TOKEN).send().json();
        assertThat(worst.get(0).path("margin").asString()).isEqualTo("-0.6");
    }

    @Test
    void aTwentyPercentLlmMarkupAtCostPriceIsATwentyPercentLlmMarginAndFollowsARateCorrection() {
        http = new Http(port);
        LocalDate day = LocalDate.of(2008, 6, 10);
        admin("/api/admin/v1/rate-card/versions", """
                {"effectiveFrom": "2008-06-01T00:00:00Z", "currency": "USD", "reason": "at cost",
                 "entries": [{"layer": "llm", "provider": "openai", "model": "gpt-4o", "unit": "prompt_token", "unitPrice": "0.0000025"},
                             {"layer": "llm", "provider": "openai", "model": "gpt-4o", "unit": "completion_token", "unitPrice": "0.00001"}]}
                """);
        admin("/api/admin/v1/rate-card/versions", """
                {"effectiveFrom": "2008-07-01T00:00:00Z", "currency": "USD", "reason": "fence",
                 "entries": [{"layer": "other", "provider": "fence", "model": "*", "unit": "token", "unitPrice": "0"}]}
                """);
        Samples samples = Samples.fresh().onDay(day);
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        contract(customer, day.withDayOfMonth(1), "\"pricingModel\": \"RATE_CARD\", \"markup\": {\"llm\": 20}");
        deliver(samples.text(Samples.EOCR));
        // LLM: cost 0.039525 (the list prices exactly); charge × 1.2 = 0.04743; margin 0.007905 = 20 % of cost
        JsonNode llm = margins("2008-06", "layer").get("llm");
        assertThat(llm.path("charge").asString()).isEqualTo("0.0474");
        assertThat(llm.path("providerCost").asString()).isEqualTo("0.0395");
        assertThat(llm.path("marginPercent").asString()).isEqualTo("20.00");

        // a correction of the prompt price to half: the margin follows the re-rating
        admin("/api/admin/v1/rate-card/versions", """
                {"effectiveFrom": "2008-06-01T00:00:00Z", "currency": "USD", "reason": "correction",
                 "entries": [{"layer": "llm", "provider": "openai", "model": "gpt-4o", "unit": "prompt_token", "unitPrice": "0.00000125"},
                             {"layer": "llm", "provider": "openai", "model": "gpt-4o", "unit": "completion_token", "unitPrice": "0.00001"}]}
                """);
        jobs.runQueued();
        // charge (12850 × 0.00000125 + 740 × 0.00001) × 1.2 = (0.0160625 + 0.0074) × 1.2 = 0.028155
        JsonNode corrected = margins("2008-06", "layer").get("llm");
        assertThat(corrected.path("charge").asString()).isEqualTo("0.0282");
        assertThat(corrected.path("marginPercent").asString()).isEqualTo("-28.77");
        assertThat(http.get("/api/admin/v1/margins?month=2008-06&groupBy=planet").bearer(TestFixtures.ADMIN_TOKEN)
                .send().status()).isEqualTo(400);
        assertThat(http.get("/api/admin/v1/margins?month=June").bearer(TestFixtures.ADMIN_TOKEN).send().status())
                .isEqualTo(400);
    }

    @Test
    void aCostTransparentContractShowsTheCustomerItsProviderCostButNeverTheMargin() {
        http = new Http(port);
        LocalDate day = LocalDate.of(2008, 9, 10);
        Samples samples = Samples.fresh().onDay(day);
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        String key = fixtures.apiKey(customer);
        deliver(samples.text(Samples.EOCR));
        String call = "/api/v1/calls/" + samples.id(Samples.MAIN_CALL_ID);
        assertThat(http.get(call).bearer(key).send().body()).doesNotContain("providerCost");

        contract(customer, day.withDayOfMonth(1).minusYears(1), "\"pricingModel\": \"RATE_CARD\", \"costTransparency\": true");
        Http.Response transparent = http.get(call).bearer(key).send();
        assertThat(transparent.json().path("providerCost").asString()).isEqualTo("0.338285");
        assertThat(transparent.json().path("components").get(0).has("providerCost")).isTrue();
        assertThat(transparent.body()).doesNotContain("margin");
        assertThat(http.get("/api/v1/calls.csv").bearer(key).send().body()).contains("provider_cost");
        assertThat(http.get("/api/admin/v1/margins").bearer(key).send().status()).isEqualTo(403);
    }
}
