package com.voiceledger.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.security.ApiKeyService;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The customer API: scoped to the key's customer, whatever id is typed. */
@IntegrationTest
class CustomerApiIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    ApiKeyService apiKeys;

    Http http;
    Samples samples;
    Customer acme;
    Customer globex;
    String acmeKey;
    String globexKey;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        samples = Samples.fresh();
        acme = fixtures.customer(samples.id(Samples.ACME));
        globex = fixtures.customer(samples.id(Samples.GLOBEX));
        acmeKey = fixtures.apiKey(acme);
        globexKey = fixtures.apiKey(globex);
        for (String sample : List.of(Samples.EOCR, Samples.EOCR_SILENCE, Samples.EOCR_NOT_ANSWERED)) {
            http.post("/webhooks/vapi", "application/json", samples.text(sample))
                    .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        }
    }

    @Test
    void aCustomerKeyNeverReadsAnotherCustomersCallAndGetsTheSame404AsForAMissingOne() {
        String globexCall = samples.id(Samples.SILENCE_CALL_ID);
        Http.Response foreign = http.get("/api/v1/calls/" + globexCall).bearer(acmeKey).send();
        Http.Response missing = http.get("/api/v1/calls/" + UUID.randomUUID()).bearer(acmeKey).send();
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(foreign.json().path("error").asString()).isEqualTo("no call " + globexCall);
        assertThat(http.get("/api/v1/calls/" + globexCall).bearer(globexKey).send().status()).isEqualTo(200);
    }

    @Test
    void aCustomerCannotWidenItsScopeWithTheCustomerParameter() {
        Http.Response list = http.get("/api/v1/calls?customer=" + globex.externalId()).bearer(acmeKey).send();
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(samples.id(Samples.SILENCE_CALL_ID));
        assertThat(list.json().path("calls").size()).isEqualTo(2);
        list.json().path("calls").forEach(call ->
                assertThat(call.path("customerId").asString()).isEqualTo(acme.externalId()));
    }

    @Test
    void callsArePagedNewestFirstWithACursorThatEndsTheListAndReturnsEveryCallOnce() {
        // five more calls: three starting at the same instant (the cursor must break the tie), 12:30, 12:00
        List<String> tied = new ArrayList<>();
        for (String start : List.of("13:00:00", "13:00:00", "13:00:00", "12:30:00", "12:00:00")) {
            String id = UUID.randomUUID().toString();
            if (start.equals("13:00:00")) {
                tied.add(id);
            }
            Http.Response stored = http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR)
                            .replace(samples.id(Samples.MAIN_CALL_ID), id)
                            .replace("2026-11-03T14:05:12.100Z", "2026-11-03T" + start + ".000Z")
                            .replace("2026-11-03T14:08:24.100Z", "2026-11-03T" + start.replace(":00:00", ":03:12")
                                    .replace(":30:00", ":33:12") + ".000Z"))
                    .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
            assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        }
        List<String> seen = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = http.get("/api/v1/calls?limit=2&cursor=" + cursor).bearer(acmeKey).send().json();
            page.path("calls").forEach(call -> seen.add(call.path("id").asString()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(cursor).as("the cursor ended the list").isNull();
        // 7 calls at 2 a page: 2 + 2 + 2 + 1
        assertThat(pages).isEqualTo(4);
        assertThat(seen).doesNotHaveDuplicates().hasSize(7);
        // the not-answered call was created 15:49, the main call started 14:05 the same day, then 13:00 (×3),
        // 12:30 and 12:00
        assertThat(seen.subList(0, 2)).containsExactly(samples.id(Samples.NOT_ANSWERED_CALL_ID),
                samples.id(Samples.MAIN_CALL_ID));
        assertThat(seen.subList(2, 5)).containsExactlyInAnyOrderElementsOf(tied);
        assertThat(seen.subList(5, 7)).doesNotContainAnyElementsOf(tied).doesNotContain(
                samples.id(Samples.NOT_ANSWERED_CALL_ID), samples.id(Samples.MAIN_CALL_ID));
    }

    @Test
    void callsFilterByTimeRangeAndAssistant() {
        JsonNode morning = http.get("/api/v1/calls?from=2026-11-03T14:00:00Z&to=2026-11-03T15:00:00Z").bearer(acmeKey)
                .send().json();
        assertThat(morning.path("calls").size()).isEqualTo(1);
        assertThat(morning.path("calls").get(0).path("components").size()).isEqualTo(9);
        JsonNode byAssistant = http.get("/api/v1/calls?assistantId=nobody").bearer(acmeKey).send().json();
        assertThat(byAssistant.path("calls").size()).isZero();
        Http.Response badDate = http.get("/api/v1/calls?from=yesterday").bearer(acmeKey).send();
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.json().path("error").asString()).contains("ISO-8601");
        assertThat(http.get("/api/v1/calls?cursor=garbage").bearer(acmeKey).send().status()).isEqualTo(400);
        assertThat(http.get("/api/v1/calls?limit=0").bearer(acmeKey).send().status()).isEqualTo(400);
    }

    @Test
    void theMonthlySummaryAddsUpCallsDurationAndProviderCostByPricedItem() {
        JsonNode summary = http.get("/api/v1/usage/summary?month=2026-11").bearer(acmeKey).send().json();
        assertThat(summary.path("calls").asLong()).isEqualTo(2);
        // 192 s + 0 s
        assertThat(summary.path("durationSeconds").asLong()).isEqualTo(192);
        assertThat(summary.has("providerCost")).isFalse();
        assertThat(http.get("/api/v1/usage/summary?month=2026-11&customer=" + acme.externalId())
                .bearer(TestFixtures.ADMIN_TOKEN).send().json().path("providerCost").asString()).isEqualTo("0.338285");
        List<String> layers = new ArrayList<>();
        summary.path("items").forEach(item -> layers.add(item.path("layer").asString() + " "
                + item.path("unit").asString() + " " + item.path("quantity").asString()));
        assertThat(layers).contains("llm prompt_token 8754", "telephony minute 3.2", "tts character 1830");
        assertThat(http.get("/api/v1/usage/summary?month=2026-13").bearer(acmeKey).send().status()).isEqualTo(400);
        assertThat(http.get("/api/v1/usage/summary?month=2026-10").bearer(acmeKey).send().json().path("calls")
                .asLong()).isZero();
    }

    @Test
    void theCsvExportHasOneRowPerCallOfThisCustomerOnly() {
        Http.Response csv = http.get("/api/v1/calls.csv").bearer(acmeKey).send();
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).startsWith("id,type,status,started_at").doesNotContain("provider_cost");
        assertThat(lines).hasSize(3);
        assertThat(csv.body()).contains(samples.id(Samples.MAIN_CALL_ID)).doesNotContain("0.338285")
                .doesNotContain(samples.id(Samples.SILENCE_CALL_ID));
        Http.Response financeCsv = http.get("/api/v1/calls.csv?customer=" + acme.externalId())
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(financeCsv.body()).contains("provider_cost").contains("0.338285");
    }

    @Test
    void noKeyARevokedKeyOrAGuessedKeyIsA401() {
        assertThat(http.get("/api/v1/calls").send().status()).isEqualTo(401);
        assertThat(http.get("/api/v1/calls").bearer("vl_guessed").send().status()).isEqualTo(401);
        long keyId = apiKeys.keysOf(acme.id()).getFirst().id();
        apiKeys.revoke(acme.id(), keyId);
        Http.Response revoked = http.get("/api/v1/calls").bearer(acmeKey).send();
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().path("error").asString()).contains("revoked");
    }

    @Test
    void aCustomerKeyMayNotUseTheAdminApi() {
        Http.Response response = http.get("/api/admin/v1/customers").bearer(acmeKey).send();
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().path("error").asString()).isNotBlank();
    }

    @Test
    void unknownApiPathsAnswerJson404() {
        Http.Response response = http.get("/api/v1/nothing-here").bearer(acmeKey).send();
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).contains("json");
    }

    @Test
    void financeReadsACustomersCallsByNamingIt() {
        Http.Response unnamed = http.get("/api/v1/calls").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(unnamed.status()).isEqualTo(400);
        Http.Response named = http.get("/api/v1/calls?customer=" + globex.externalId()).bearer(TestFixtures.ADMIN_TOKEN)
                .send();
        assertThat(named.json().path("calls").get(0).path("id").asString()).isEqualTo(samples.id(Samples.SILENCE_CALL_ID));
    }
}
