package com.voiceledger.rating;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.shared.DayRange;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Rating end to end: prices published over the admin API, calls delivered as webhooks, charges read
 * over the customer API. The rate card is global, so each test lives on its own day far from the
 * others and publishes the versions it needs at the start of that day.
 */
@IntegrationTest
class RatingIT {

    static final AtomicInteger NEXT_DAY = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    RatingJobs jobs;
    @Autowired
    RatingQueries queries;

    Http http;
    Samples samples;
    LocalDate day;
    Customer acme;
    String acmeKey;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        day = LocalDate.of(2031, 1, 1).plusDays(40L * NEXT_DAY.getAndIncrement());
        samples = Samples.fresh().onDay(day);
        acme = fixtures.customer(samples.id(Samples.ACME));
        acmeKey = fixtures.apiKey(acme);
    }

    Http.Response admin(String path, String json) {
        return http.post(path, "application/json", json).bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    Http.Response publish(String effectiveFrom, String entries) {
        return admin("/api/admin/v1/rate-card/versions", "{\"effectiveFrom\":\"" + effectiveFrom
                + "\",\"currency\":\"USD\",\"reason\":\"test prices\",\"entries\":[" + entries + "]}");
    }

    static String entry(String layer, String provider, String model, String unit, String price) {
        return "{\"layer\":\"%s\",\"provider\":\"%s\",\"model\":\"%s\",\"unit\":\"%s\",\"unitPrice\":\"%s\"}"
                .formatted(layer, provider, model, unit, price);
    }

    static final String REFERENCE = String.join(",",
            entry("telephony", "twilio", "*", "minute", "0.0085"),
            entry("stt", "deepgram", "*", "minute", "0.0048"),
            entry("llm", "openai", "gpt-4o", "prompt_token", "0.0000025"),
            entry("llm", "openai", "gpt-4o", "completion_token", "0.00001"),
            entry("tts", "11labs", "*", "character", "0.00005"),
            entry("platform", "vapi", "*", "minute", "0.05"),
            entry("analysis", "*", "*", "prompt_token", "0.0000025"),
            entry("analysis", "*", "*", "completion_token", "0.00001"));

    void deliver(String sample) {
        Http.Response response = http.post("/webhooks/vapi", "application/json", samples.text(sample))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    JsonNode mainCall() {
        return http.get("/api/v1/calls/" + samples.id(Samples.MAIN_CALL_ID)).bearer(acmeKey).send().json();
    }

    Map<String, String> chargesByUnit(JsonNode call) {
        Map<String, String> charges = new HashMap<>();
        call.path("components").forEach(c -> charges.put(c.path("layer").asString() + " " + c.path("unit").asString(),
                c.path("charge").asString() + " @ " + c.path("unitPrice").asString() + " from "
                        + c.path("rateSource").asString()));
        return charges;
    }

    void runJobs() {
        jobs.runQueued();
        assertThat(jobs.anyPending()).isFalse();
    }

    @Test
    void aCallIsRatedOnIngestWithEachComponentsPriceAndSource() {
        assertThat(publish(day + "T00:00:00Z", REFERENCE).status()).isEqualTo(201);
        int version = http.get("/api/admin/v1/rate-card/versions").bearer(TestFixtures.ADMIN_TOKEN).send().json()
                .findValues("version").stream().mapToInt(JsonNode::asInt).max().orElseThrow();
        deliver(Samples.EOCR);
        JsonNode call = mainCall();
        Map<String, String> charges = chargesByUnit(call);
        String v = "rate card v" + version;
        // 3.2 min × 0.0085
        assertThat(charges.get("telephony minute")).isEqualTo("0.0272 @ 0.0085 from " + v + ": telephony twilio * minute");
        // 8754 × 0.0000025
        assertThat(charges.get("llm prompt_token")).isEqualTo("0.021885 @ 0.0000025 from " + v
                + ": llm openai gpt-4o prompt_token");
        // no cached price: 4096 × 0.0000025 at the prompt price
        assertThat(charges.get("llm cached_prompt_token")).isEqualTo("0.01024 @ 0.0000025 from " + v
                + ": llm openai gpt-4o prompt_token (prompt price: no cached price)");
        // 0.0272 + 0.01536 + 0.021885 + 0.01024 + 0.0074 + 0.0915 + 0.16 + 0.0035 + 0.0012 = 0.338285
        assertThat(call.path("charge").asString()).isEqualTo("0.338285");
        assertThat(call.path("unpriced").asBoolean()).isFalse();
        assertThat(queries.rollupMismatches()).isEmpty();
    }

    @Test
    void aVersionTakingEffectAtTheExactStartOfACallPricesIt() {
        publish(day + "T00:00:00Z", REFERENCE);
        publish(day + "T14:05:12.100Z", entry("telephony", "twilio", "*", "minute", "0.01"));
        publish(day + "T14:05:12.101Z", entry("telephony", "twilio", "*", "minute", "0.02"));
        deliver(Samples.EOCR);
        // started exactly at 14:05:12.100: the version effective then, not the one a millisecond later
        assertThat(chargesByUnit(mainCall()).get("telephony minute")).startsWith("0.032 @ 0.01 from");
        // that version prices nothing else: the other components are unpriced, and say so
        assertThat(mainCall().path("unpriced").asBoolean()).isTrue();
    }

    @Test
    void publishingAnEarlierEffectiveVersionReRatesTheCallsInTheBackgroundAndIsIdempotent() {
        publish(day + "T00:00:00Z", REFERENCE);
        deliver(Samples.EOCR);
        runJobs();
        assertThat(mainCall().path("charge").asString()).isEqualTo("0.338285");

        String cheaperPlatform = REFERENCE.replace("\"platform\",\"provider\":\"vapi\",\"model\":\"*\",\"unit\":\"minute\",\"unitPrice\":\"0.05\"",
                "\"platform\",\"provider\":\"vapi\",\"model\":\"*\",\"unit\":\"minute\",\"unitPrice\":\"0.04\"");
        assertThat(cheaperPlatform).isNotEqualTo(REFERENCE);
        Http.Response published = publish(day + "T12:00:00Z", cheaperPlatform);
        assertThat(published.status()).isEqualTo(201);
        runJobs();
        // 0.338285 − 3.2 × (0.05 − 0.04) = 0.306285
        assertThat(mainCall().path("charge").asString()).isEqualTo("0.306285");
        RatingJob job = jobs.recent(1).getFirst();
        assertThat(job.status()).isEqualTo("DONE");
        assertThat(job.done()).isEqualTo(job.total());

        publish(day + "T12:00:00Z", cheaperPlatform);
        runJobs();
        assertThat(mainCall().path("charge").asString()).isEqualTo("0.306285");
        assertThat(queries.rollupMismatches()).isEmpty();
    }

    @Test
    void aContractAddedLaterReRatesThatCustomersCallsWithMarkupAndOverrides() {
        publish(day + "T00:00:00Z", REFERENCE);
        deliver(Samples.EOCR);
        Http.Response contract = admin("/api/admin/v1/customers/" + acme.externalId() + "/contracts", """
                {"effectiveFrom": "%sT00:00:00Z", "pricingModel": "RATE_CARD", "reason": "signed MSA",
                 "markup": {"llm": 20},
                 "overrides": [{"layer": "tts", "provider": "11labs", "model": "*", "unit": "character", "unitPrice": "0.00004"}]}
                """.formatted(day.minusDays(1)));
        assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
        runJobs();
        JsonNode call = mainCall();
        Map<String, String> charges = chargesByUnit(call);
        // 1830 × 0.00004
        assertThat(charges.get("tts character")).startsWith("0.0732 @ 0.00004 from contract ");
        // 740 × 0.00001 × 1.2
        assertThat(charges.get("llm completion_token")).startsWith("0.00888 @ 0.00001 from ");
        // llm (0.021885 + 0.01024 + 0.0074) × 1.2 = 0.04743; tts 0.0732; telephony 0.0272, stt 0.01536,
        // platform 0.16, analysis 0.0047: 0.04743 + 0.0732 + 0.0272 + 0.01536 + 0.16 + 0.0047 = 0.32789
        assertThat(call.path("charge").asString()).isEqualTo("0.32789");
    }

    @Test
    void aPerMinuteContractChargesBillableMinutesWithItsMinimum() {
        publish(day + "T00:00:00Z", REFERENCE);
        admin("/api/admin/v1/customers/" + acme.externalId() + "/contracts", """
                {"effectiveFrom": "%sT00:00:00Z", "pricingModel": "PER_MINUTE", "reason": "all-in deal",
                 "perMinuteRate": "0.12", "minimumCharge": "0.25", "billingIncrementSeconds": 60, "includedMinutes": 1000}
                """.formatted(day));
        deliver(Samples.EOCR);
        JsonNode call = mainCall();
        // 192 s → 240 s → 4 min × 0.12 = 0.48
        assertThat(call.path("charge").asString()).isEqualTo("0.48");
        assertThat(call.path("billableSeconds").asInt()).isEqualTo(240);
        assertThat(call.path("pricingModel").asString()).isEqualTo("PER_MINUTE");
        JsonNode month = http.get("/api/v1/usage/summary?month=" + day.toString().substring(0, 7)).bearer(acmeKey)
                .send().json();
        assertThat(month.path("charge").asString()).isEqualTo("0.48");
        assertThat(month.toString()).contains("voice_minutes");
    }

    @Test
    void unpricedUsageIsFlaggedQueuedForFinanceAndPricedOncePublished() {
        publish(day + "T00:00:00Z", REFERENCE.replace("," + entry("tts", "11labs", "*", "character", "0.00005"), ""));
        deliver(Samples.EOCR);
        JsonNode call = mainCall();
        assertThat(call.path("unpriced").asBoolean()).isTrue();
        assertThat(chargesByUnit(call).get("tts character")).contains("unpriced: rate card v");
        JsonNode queue = http.get("/api/admin/v1/unpriced-usage").bearer(TestFixtures.ADMIN_TOKEN).send().json();
        assertThat(queue.toString()).contains("\"layer\":\"tts\",\"provider\":\"11labs\",\"model\":\"eleven_flash_v2_5\"");

        publish(day + "T00:00:00Z", REFERENCE);
        runJobs();
        assertThat(mainCall().path("unpriced").asBoolean()).isFalse();
        assertThat(mainCall().path("charge").asString()).isEqualTo("0.338285");
    }

    @Test
    void theMonthSummaryAddsUpTheRollupsAndTheRebuildProvesThemEqualToTheCharges() {
        publish(day + "T00:00:00Z", REFERENCE);
        deliver(Samples.EOCR);
        deliver(Samples.EOCR_NOT_ANSWERED);
        JsonNode month = http.get("/api/v1/usage/summary?month=" + day.toString().substring(0, 7)).bearer(acmeKey)
                .send().json();
        assertThat(month.path("calls").asLong()).isEqualTo(2);
        assertThat(month.path("charge").asString()).isEqualTo("0.338285");
        assertThat(month.has("providerCost")).isFalse();
        JsonNode asFinance = http.get("/api/v1/usage/summary?month=" + day.toString().substring(0, 7) + "&customer="
                + acme.externalId()).bearer(TestFixtures.ADMIN_TOKEN).send().json();
        assertThat(new BigDecimal(asFinance.path("providerCost").asString())).isEqualByComparingTo("0.338285");
        JsonNode rebuilt = admin("/api/admin/v1/rollups/rebuild", "").json();
        assertThat(rebuilt.path("mismatches").size()).isZero();
    }

    @Test
    void callsAreCountedByDurationInTheRollupTheDashboardReadsAndARedeliveryCountsNothingTwice() {
        publish(day + "T00:00:00Z", REFERENCE);
        deliver(Samples.EOCR);
        deliver(Samples.EOCR_NOT_ANSWERED);
        deliver(Samples.EOCR);
        DayRange month = DayRange.of(java.time.YearMonth.from(day));

        RatingQueries.CallTotals totals = queries.totals(acme.id(), month, null);
        assertThat(totals.calls()).isEqualTo(2);
        assertThat(totals.durationSeconds()).isEqualTo(192);
        assertThat(totals.charge()).isEqualByComparingTo("0.338285");
        assertThat(queries.durationDistribution(acme.id(), month, null))
                .extracting(RatingQueries.DurationCount::label, RatingQueries.DurationCount::calls)
                .contains(org.assertj.core.groups.Tuple.tuple("0–15 s", 1L), org.assertj.core.groups.Tuple.tuple("2–5 min", 1L),
                        org.assertj.core.groups.Tuple.tuple("20 min +", 0L))
                .hasSize(DurationBuckets.LOWER_BOUNDS.size());
        String assistant = samples.id("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13");
        assertThat(queries.totals(acme.id(), month, assistant).calls()).isEqualTo(2);
        assertThat(queries.totals(acme.id(), month, samples.id("d2e3f4a5-6b7c-4d8e-9f0a-1b2c3d4e5f60")).calls()).isZero();
        assertThat(queries.totals(acme.id(), new DayRange(day.plusDays(1), day.plusDays(2)), null).calls()).isZero();
        assertThat(queries.rollupMismatches()).isEmpty();
    }

    @Test
    void everyPriceAndContractChangeIsAuditedWithItsReason() {
        publish(day + "T00:00:00Z", REFERENCE);
        admin("/api/admin/v1/customers/" + acme.externalId() + "/contracts", """
                {"effectiveFrom": "%sT00:00:00Z", "pricingModel": "RATE_CARD", "reason": "audited deal %s"}
                """.formatted(day, acme.externalId()));
        JsonNode audit = http.get("/api/admin/v1/audit?q=" + acme.externalId()).bearer(TestFixtures.ADMIN_TOKEN).send()
                .json();
        assertThat(audit.size()).isEqualTo(1);
        assertThat(audit.get(0).path("action").asString()).isEqualTo("contract added");
        assertThat(audit.get(0).path("actor").asString()).isEqualTo("admin-api-token");
        assertThat(audit.get(0).path("reason").asString()).isEqualTo("audited deal " + acme.externalId());
        JsonNode published = http.get("/api/admin/v1/audit?q=rate%20card%20published").bearer(TestFixtures.ADMIN_TOKEN)
                .send().json();
        assertThat(published.size()).isPositive();
    }

    @Test
    void badPricesAndContractsAreRefusedWithWhatIsWrong() {
        assertThat(publish(day + "T00:00:00Z", entry("stt", "deepgram", "*", "minute", "-0.01")).json().path("error")
                .asString()).contains("must be 0 or more");
        assertThat(publish(day + "T00:00:00Z", entry("stt", "deepgram", "*", "minute", "0.000000001")).json()
                .path("error").asString()).contains("more than 8 decimals");
        assertThat(publish(day + "T00:00:00Z", entry("stt", "deepgram", "*", "hour", "1")).json().path("error")
                .asString()).contains("unknown unit 'hour'");
        assertThat(admin("/api/admin/v1/rate-card/versions", "{\"effectiveFrom\":\"" + day
                + "T00:00:00Z\",\"currency\":\"USD\",\"entries\":[" + REFERENCE + "]}").json().path("error").asString())
                .contains("reason is required");
        String contracts = "/api/admin/v1/customers/" + acme.externalId() + "/contracts";
        assertThat(admin(contracts, "{\"effectiveFrom\":\"" + day + "T00:00:00Z\",\"pricingModel\":\"RATE_CARD\","
                + "\"reason\":\"x\",\"currency\":\"EUR\"}").json().path("error").asString())
                .contains("differs from the customer's billing currency USD");
        assertThat(admin(contracts, "{\"effectiveFrom\":\"" + day + "T00:00:00Z\",\"pricingModel\":\"PER_MINUTE\","
                + "\"reason\":\"x\"}").json().path("error").asString()).contains("needs perMinuteRate");
        assertThat(admin(contracts, "{\"effectiveFrom\":\"" + day + "T00:00:00Z\",\"pricingModel\":\"RATE_CARD\","
                + "\"reason\":\"first\"}").status()).isEqualTo(201);
        assertThat(admin(contracts, "{\"effectiveFrom\":\"" + day + "T00:00:00Z\",\"pricingModel\":\"RATE_CARD\","
                + "\"reason\":\"second\"}").json().path("error").asString()).contains("may not overlap");
        assertThat(admin(contracts, "{\"effectiveFrom\":\"" + day + "T01:00:00Z\",\"pricingModel\":\"FLAT\","
                + "\"reason\":\"x\"}").status()).isEqualTo(400);
    }
}
