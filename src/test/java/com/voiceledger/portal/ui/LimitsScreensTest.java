package com.voiceledger.portal.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.voiceledger.customer.Customer;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.security.Role;
import com.voiceledger.spendcap.AssistantBudgets;
import com.voiceledger.support.Http;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The customer's dashboard shows what its contract's limits mean in use (issue #29): the most calls at once per hour
 * against the limit, from the hourly peaks admission keeps, and each assistant budget's burn-down this month.
 */
class LimitsScreensTest extends KaribuTest {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    AssistantBudgets budgets;
    @Autowired
    RatingQueries rating;
    @Autowired
    Clock clock;

    JsonNode admit(String key, String assistant, String callId) {
        Http.Response response = new Http(port).post("/api/v1/admission", "application/json",
                "{\"assistantId\": \"%s\", \"callId\": \"%s\"}".formatted(assistant, callId)).bearer(key).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    @Test
    void theDashboardChartsTheMostCallsAtOncePerHourAgainstTheLimitAndEachAssistantBudgetsBurnDown() {
        Samples samples = Samples.fresh().onDay(LocalDate.now(clock));
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        Http.Response contract = new Http(port).post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "2026-01-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "reason": "limits on the dashboard", "limits": {"concurrentCalls": 3}}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
        String key = fixtures.apiKey(customer);
        String assistant = samples.id("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13"); // the sample call's assistant
        budgets.set(customer, assistant, new BigDecimal("5.00"), null, "test");
        Http.Response delivered = new Http(port).post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(delivered.status()).as(delivered.toString()).isEqualTo(200);
        BigDecimal charge = rating.ratedCall(customer.id(), samples.id(Samples.MAIN_CALL_ID)).orElseThrow().charge();

        for (int i = 0; i < 3; i++) {
            assertThat(admit(key, "other", "at-once-" + i + "-" + customer.externalId()).path("allowed").asBoolean())
                    .isTrue();
        }
        assertThat(admit(key, "other", "refused-" + customer.externalId()).path("reason").asString())
                .isEqualTo("concurrency_limit");

        users.create("dash-" + customer.externalId(), "Dana", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        loginAs("dash-" + customer.externalId());
        UI.getCurrent().navigate("dashboard");
        DashboardView view = _get(DashboardView.class);

        JsonNode concurrency = Http.parse(view.concurrencyChart.getElement().getProperty("options"));
        JsonNode peaks = concurrency.path("series").get(0).path("data");
        assertThat(peaks).hasSize(DashboardView.CONCURRENCY_HOURS);
        assertThat(peaks.get(DashboardView.CONCURRENCY_HOURS - 1).asInt()).as("this hour's peak").isEqualTo(3);
        List<String> hours = new ArrayList<>();
        concurrency.path("xaxis").path("categories").forEach(hour -> hours.add(hour.asString()));
        assertThat(hours).hasSize(DashboardView.CONCURRENCY_HOURS).allMatch(hour -> hour.matches("[A-Z][a-z]{2} \\d\\d:\\d\\d"));
        JsonNode limitLine = concurrency.path("annotations").path("yaxis").get(0);
        assertThat(limitLine.path("y").asInt()).isEqualTo(3);
        assertThat(limitLine.path("label").path("text").asString()).isEqualTo("Limit 3");
        assertThat(view.concurrencyNote.getText()).startsWith("Now 3 in progress of the 3 your contract allows")
                .contains("most at once today 3");

        assertThat(view.budgetCharts).containsOnlyKeys(assistant);
        JsonNode burnDown = Http.parse(view.budgetCharts.get(assistant).getElement().getProperty("options"));
        JsonNode used = burnDown.path("series").get(0).path("data");
        assertThat(used.get(used.size() - 1).path("y").decimalValue()).isEqualByComparingTo(charge.setScale(2, java.math.RoundingMode.HALF_EVEN));
        assertThat(burnDown.path("annotations").path("yaxis").get(0).path("y").decimalValue()).isEqualByComparingTo("5.00");
        assertThat(burnDown.path("annotations").path("yaxis").get(0).path("label").path("text").asString())
                .isEqualTo("Budget 5.00 USD");
    }
}
