package com.voiceledger.admin.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.UI;
import com.voiceledger.customer.Customer;
import com.voiceledger.rating.RatedCall;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.security.Role;
import com.voiceledger.support.Http;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.Clock;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A contract's limits as finance sees them (issue #29): the terms on the customer 360 page, and a call that used a
 * model off the contract's list anyway (the platform applied an override after admission), delivered as a real
 * webhook, flagged there and priced as usual.
 */
class ContractLimitsScreensTest extends KaribuTest {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    RatingQueries rating;
    @Autowired
    Clock clock;

    Customer withContract(String externalId, String limits) {
        Customer customer = fixtures.customer(externalId);
        Http.Response response = new Http(port).post("/api/admin/v1/customers/" + externalId + "/contracts",
                "application/json", """
                {"effectiveFrom": "2026-01-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "reason": "limits on the 360", "limits": %s}
                """.formatted(limits)).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return customer;
    }

    void deliver(String report) {
        Http.Response response = new Http(port).post("/webhooks/vapi", "application/json", report)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    @Test
    void aCallThatUsedAModelOffTheContractsListAnywayIsFlaggedToFinanceAndPricedAsUsual() {
        // the sample call uses openai/gpt-4o, 11labs and deepgram; this contract allows anthropic only for the model
        Samples flagged = Samples.fresh().onDay(LocalDate.now(clock));
        Customer offList = withContract(flagged.id(Samples.ACME), """
                {"concurrentCalls": 3, "concurrentCallsPerAssistant": 2, "maxCallSeconds": 600,
                 "allowedModels": ["anthropic/*", "11labs/*", "deepgram/*"]}""");
        // positive control: the same call under the same terms without an allow-list
        Samples control = Samples.fresh().onDay(LocalDate.now(clock));
        Customer open = withContract(control.id(Samples.ACME), "{\"concurrentCalls\": 3}");
        deliver(flagged.text(Samples.EOCR));
        deliver(control.text(Samples.EOCR));

        String callId = flagged.id(Samples.MAIN_CALL_ID);
        JsonNode guards = new Http(port).get("/api/v1/guards?rule=MODEL_NOT_ALLOWED").bearer(fixtures.apiKey(offList))
                .send().json();
        assertThat(guards.path("findings")).hasSize(1);
        assertThat(guards.path("findings").get(0).path("callId").asString()).isEqualTo(callId);
        assertThat(guards.path("findings").get(0).path("evidence").asString())
                .startsWith("openai/gpt-4o (llm) not on the contract's list").endsWith("priced as usual");
        assertThat(new Http(port).get("/api/v1/guards?rule=MODEL_NOT_ALLOWED").bearer(fixtures.apiKey(open)).send()
                .json().path("findings")).as("the control is not flagged").isEmpty();
        RatedCall charged = rating.ratedCall(offList.id(), callId).orElseThrow();
        RatedCall usual = rating.ratedCall(open.id(), control.id(Samples.MAIN_CALL_ID)).orElseThrow();
        assertThat(charged.charge()).isPositive().isEqualByComparingTo(usual.charge());

        users.create("fin-limits-" + offList.externalId(), "Fay Finance", "password-123", Role.FINANCE_ADMIN, null);
        loginAs("fin-limits-" + offList.externalId());
        UI.getCurrent().navigate("admin/customers/" + offList.externalId());
        Customer360View view = _get(Customer360View.class);
        assertThat(GridKt._size(view.flagGrid)).isEqualTo(1);
        assertThat(String.join(" | ", GridKt._getFormattedRow(view.flagGrid, 0)))
                .contains(callId, "openai/gpt-4o (llm)");
        assertThat(String.join(" | ", GridKt._getFormattedRow(view.contractGrid, 0)))
                .contains("at most 3 calls at once (2 per assistant)", "calls up to 10:00",
                        "models anthropic/*, 11labs/*, deepgram/*");

        UI.getCurrent().navigate("admin/customers/" + open.externalId());
        assertThat(GridKt._size(_get(Customer360View.class).flagGrid)).isZero();
    }

}
