package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.support.FreeRates;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Grants in units (BILLING-RULES §7, issue #30) end to end over HTTP, against hand-worked examples: each test has
 * its own quarter (the rate card is global: its prices from the quarter's start, fenced off two months later).
 * Prices: platform 0.05/min, telephony 0.01/min, the rest of the sample call free; each sample call is 3.2 min.
 */
@IntegrationTest
class UnitGrantsIT {

    static final AtomicInteger NEXT = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    CustomerService customers;
    @Autowired
    RatingJobs jobs;
    @Autowired
    BillingRuns runs;

    Http http;
    YearMonth month;
    Customer acme;
    String acmeKey;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        // 2017-04 to 2018-12: months no other test prices in (BillingScreensTest and InvoiceCoverageIT end in 2017-02)
        month = YearMonth.of(2017, 4).plusMonths(3L * NEXT.getAndIncrement());
        acme = customers.create(NewCustomer.parse(Samples.fresh().id(Samples.ACME), "Acme", "USD", "America/New_York"));
        acmeKey = fixtures.apiKey(acme);
        publish(month.atDay(1) + "T00:00:00Z", BillingIT.PLATFORM_ONLY);
        publish(month.plusMonths(2).atDay(20) + "T00:00:00Z",
                "{\"layer\":\"other\",\"provider\":\"fence\",\"model\":\"*\",\"unit\":\"token\",\"unitPrice\":\"0\"}");
    }

    void publish(String effectiveFrom, String entries) {
        Http.Response response = admin("/api/admin/v1/rate-card/versions", "{\"effectiveFrom\":\"" + effectiveFrom
                + "\",\"currency\":\"USD\",\"reason\":\"grant test\",\"entries\":[" + entries + "]}");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    Http.Response admin(String path, String json) {
        return http.post(path, "application/json", json).bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    Http.Response contract(String effectiveFrom, String grants) {
        return admin("/api/admin/v1/customers/" + acme.externalId() + "/contracts", "{\"effectiveFrom\":\""
                + effectiveFrom + "\",\"reason\":\"included minutes\",\"pricingModel\":\"RATE_CARD\",\"grants\":["
                + grants + "]}");
    }

    void contractWith(String grants) {
        Http.Response added = contract(month.atDay(1) + "T00:00:00Z", grants);
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        jobs.runQueued();
    }

    static String platformGrant(String amount, String period, String rollover) {
        return "{\"layer\":\"platform\",\"provider\":\"vapi\",\"model\":\"*\",\"unit\":\"minute\",\"amount\":\"" + amount
                + "\",\"period\":\"" + period + "\"" + (rollover == null ? "" : ",\"rollover\":" + rollover) + "}";
    }

    /** Delivers one sample call of acme's on a day, at an hour (UTC); returns its call id. */
    String call(LocalDate day, int hour) {
        Samples samples = Samples.fresh().onDay(day);
        String body = samples.text(Samples.EOCR).replace(samples.id(Samples.ACME), acme.externalId())
                .replace("T14:05:12", "T%02d:05:12".formatted(hour)).replace("T14:08:24", "T%02d:08:24".formatted(hour));
        Http.Response response = http.post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return samples.id(Samples.MAIN_CALL_ID);
    }

    JsonNode close(YearMonth which) {
        Http.Response started = admin("/api/admin/v1/billing-runs", "{\"month\":\"" + which + "\",\"customer\":\""
                + acme.externalId() + "\"}");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        runs.runQueued();
        long invoiceId = runs.get(started.json().path("id").asLong()).results().getFirst().invoiceId();
        Http.Response invoice = http.get("/api/v1/invoices/" + invoiceId).bearer(acmeKey).send();
        assertThat(invoice.status()).as(invoice.toString()).isEqualTo(200);
        return invoice.json();
    }

    static JsonNode line(JsonNode invoice, String description) {
        for (JsonNode line : invoice.path("lines")) {
            if (line.path("description").asString().equals(description)) {
                return line;
            }
        }
        throw new AssertionError("no line " + description + " in " + invoice.path("lines"));
    }

    static List<String> grantUses(JsonNode line) {
        List<String> uses = new ArrayList<>();
        line.path("explanation").path("grant").forEach(use -> uses.add(use.path("grantId").asString() + " "
                + use.path("units").asString()));
        return uses;
    }

    String charge(String callId) {
        return http.get("/api/v1/calls/" + callId).bearer(acmeKey).send().json().path("charge").asString();
    }

    @Test
    void monthlyMinutesRollOverUpToTheirCapAndAreDrawnBeforeTheNewMonthsOwn() {
        // 5 platform minutes a month; at most 1 unused minute rolls over
        contractWith(platformGrant("5", "MONTH", "{\"maxUnits\":\"1\"}"));
        call(month.atDay(10), 14);
        JsonNode first = close(month);
        // 3.2 min, all covered: 0.00; 1.8 unused, of which 1 (the cap) rolls over
        JsonNode platform = line(first, "platform vapi normal minute");
        assertThat(platform.path("amount").asString()).isEqualTo("0.00");
        assertThat(platform.path("quantity").asString()).isEqualTo("0");
        assertThat(grantUses(platform)).containsExactly("platform:vapi:*:minute:MONTH 3.2");
        assertThat(platform.path("explanation").path("reportedQuantity").asString()).isEqualTo("3.2");

        YearMonth next = month.plusMonths(1);
        call(next.atDay(10), 14);
        call(next.atDay(11), 14);
        call(next.atDay(12), 14);
        JsonNode second = close(next);
        // 9.6 min: 1 rolled over + 5 of this month = 6 covered; (9.6 − 6) × 0.05 = 0.18
        JsonNode minutes = line(second, "platform vapi normal minute");
        assertThat(minutes.path("quantity").asString()).isEqualTo("3.6");
        assertThat(minutes.path("amount").asString()).isEqualTo("0.18");
        assertThat(grantUses(minutes)).containsExactly("platform:vapi:*:minute:MONTH 6");
        // telephony is not granted: 9.6 × 0.01 = 0.096 → 0.10; total 0.28
        assertThat(line(second, "telephony twilio - minute").path("amount").asString()).isEqualTo("0.10");
        assertThat(second.path("total").asString()).isEqualTo("0.28");
    }

    @Test
    void aQuarterlyGrantIsDrawnAcrossTheMonthsOfItsQuarter() {
        // 8 platform minutes a quarter, no rollover
        contractWith(platformGrant("8", "QUARTER", null));
        call(month.atDay(10), 14);
        YearMonth second = month.plusMonths(1);
        call(second.atDay(10), 14);
        call(second.atDay(11), 14);
        // first month: 3.2 covered, 0.00
        assertThat(line(close(month), "platform vapi normal minute").path("amount").asString()).isEqualTo("0.00");
        // second month: 6.4 min, 8 − 3.2 = 4.8 left: 4.8 covered, (6.4 − 4.8) × 0.05 = 0.08
        JsonNode platform = line(close(second), "platform vapi normal minute");
        assertThat(grantUses(platform)).containsExactly("platform:vapi:*:minute:QUARTER 4.8");
        assertThat(platform.path("quantity").asString()).isEqualTo("1.6");
        assertThat(platform.path("amount").asString()).isEqualTo("0.08");
    }

    @Test
    void aGrantIsDrawnBeforeAMoneyCreditOnTheSameInvoice() {
        contractWith(platformGrant("2", "MONTH", null));
        Http.Response credit = admin("/api/admin/v1/customers/" + acme.externalId() + "/credits",
                "{\"amount\":\"0.05\",\"effectiveFrom\":\"" + month.atDay(1) + "T00:00:00Z\",\"priority\":1,"
                        + "\"reason\":\"launch credit\"}");
        assertThat(credit.status()).as(credit.toString()).isEqualTo(201);
        call(month.atDay(10), 14);
        JsonNode invoice = close(month);
        // platform (3.2 − 2) × 0.05 = 0.06; telephony 3.2 × 0.01 = 0.032 → 0.03; subtotal 0.09
        assertThat(line(invoice, "platform vapi normal minute").path("amount").asString()).isEqualTo("0.06");
        assertThat(grantUses(line(invoice, "platform vapi normal minute")))
                .containsExactly("platform:vapi:*:minute:MONTH 2");
        assertThat(invoice.path("subtotal").asString()).isEqualTo("0.09");
        // the money credit applies to what the grant left: 0.09 − 0.05 = 0.04
        assertThat(invoice.path("credits").asString()).isEqualTo("-0.05");
        assertThat(invoice.path("total").asString()).isEqualTo("0.04");
    }

    @Test
    void reRatingAfterAPriceChangeDrawsAgainInCallOrder() {
        contractWith(platformGrant("5", "MONTH", null));
        // the later call arrives first and draws first: 3.2 of 5; the earlier one then gets the last 1.8
        String later = call(month.atDay(12), 14);
        String earlier = call(month.atDay(10), 14);
        // earlier: (3.2 − 1.8) × 0.05 + 3.2 × 0.01 = 0.07 + 0.032 = 0.102; later: 3.2 × 0.01 = 0.032
        assertThat(charge(earlier)).isEqualTo("0.102");
        assertThat(charge(later)).isEqualTo("0.032");
        // a price correction from the month's start: the platform minute at 0.10
        publish(month.atDay(1) + "T00:00:00Z", BillingIT.PLATFORM_ONLY.replace("0.05", "0.10"));
        jobs.runQueued();
        // drawn again in call order: the earlier call 3.2 (only telephony left: 0.032), the later one the last 1.8:
        // (3.2 − 1.8) × 0.10 + 0.032 = 0.172
        assertThat(charge(earlier)).isEqualTo("0.032");
        assertThat(charge(later)).isEqualTo("0.172");
        JsonNode platform = line(close(month), "platform vapi normal minute");
        // 6.4 min, 5 covered: 1.4 × 0.10 = 0.14
        assertThat(grantUses(platform)).containsExactly("platform:vapi:*:minute:MONTH 5");
        assertThat(platform.path("amount").asString()).isEqualTo("0.14");
        // re-rating again changes nothing: the draws are given back and taken again, never twice
        publish(month.atDay(1) + "T00:00:01Z", BillingIT.PLATFORM_ONLY.replace("0.05", "0.10"));
        jobs.runQueued();
        assertThat(charge(earlier)).isEqualTo("0.032");
        assertThat(charge(later)).isEqualTo("0.172");
    }

    @Test
    void aCallArrivingAfterItsMonthWasFinalizedDrawsFromTheGrantOfTheMonthItIsBilledIn() {
        contractWith(platformGrant("5", "MONTH", null));
        call(month.atDay(10), 14);
        close(month);
        // the month is final with 1.8 of its 5 minutes unused; a call of that month arrives late: it must not draw
        // from the closed month but from the next one's, whose invoice bills it
        call(month.atDay(20), 14);
        YearMonth next = month.plusMonths(1);
        call(next.atDay(10), 14);
        JsonNode invoice = close(next);
        JsonNode late = line(invoice, "Late usage: platform vapi normal minute");
        assertThat(grantUses(late)).containsExactly("platform:vapi:*:minute:MONTH 3.2");
        assertThat(late.path("amount").asString()).isEqualTo("0.00");
        // the month's own call gets the 1.8 left: (3.2 − 1.8) × 0.05 = 0.07
        JsonNode own = line(invoice, "platform vapi normal minute");
        assertThat(grantUses(own)).containsExactly("platform:vapi:*:minute:MONTH 1.8");
        assertThat(own.path("amount").asString()).isEqualTo("0.07");
    }

    @Test
    void entitlementsShowTheCurrentPeriodAndAlertsAreRaisedAt80And100Percent() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // yesterday 14:05 UTC is in the same year in New York unless today is 1 or 2 January
        LocalDate day = today.getDayOfYear() > 2 ? today.minusDays(1) : today.minusDays(3);
        Http.Response added = contract(day.withDayOfYear(1) + "T05:00:00Z",
                platformGrant("4", "YEAR", "{\"maxShare\":\"0.5\"}"));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        jobs.runQueued();
        call(day, 14);
        JsonNode entitlements = http.get("/api/v1/entitlements").bearer(acmeKey).send().json();
        assertThat(entitlements.size()).isEqualTo(1);
        JsonNode grant = entitlements.get(0);
        assertThat(grant.path("grantId").asString()).isEqualTo("platform:vapi:*:minute:YEAR");
        assertThat(grant.path("periodStart").asString()).isEqualTo(day.withDayOfYear(1).toString());
        // 4 granted, 3.2 used, 0.8 left, nothing rolled over (no grant the year before)
        assertThat(grant.path("granted").asString()).isEqualTo("4");
        assertThat(grant.path("used").asString()).isEqualTo("3.2");
        assertThat(grant.path("remaining").asString()).isEqualTo("0.8");
        assertThat(grant.path("rolledOver").asString()).isEqualTo("0");
        assertThat(grant.path("resetsAt").asString()).isEqualTo(day.withDayOfYear(1).plusYears(1) + "T05:00:00Z");
        // 3.2 of 4 is 80 %: one alert; the next call takes it to 100 %: a second, and no more after that
        assertThat(grantAlerts()).containsExactly("GRANT platform:vapi:*:minute:YEAR 80");
        call(day, 15);
        call(day, 16);
        assertThat(grantAlerts()).containsExactlyInAnyOrder("GRANT platform:vapi:*:minute:YEAR 80",
                "GRANT platform:vapi:*:minute:YEAR 100");
    }

    List<String> grantAlerts() {
        List<String> alerts = new ArrayList<>();
        http.get("/api/v1/alerts").bearer(acmeKey).send().json().forEach(alert -> {
            if (alert.path("kind").asString().startsWith("GRANT ")) {
                alerts.add(alert.path("kind").asString() + " " + alert.path("threshold").asInt());
            }
        });
        return alerts;
    }

    @Test
    void aContractWithGrantsIsRefusedWithAReasonWhenAGrantIsWrongAndKeptAsATermWhenRight() {
        String from = month.atDay(1) + "T00:00:00Z";
        Http.Response badShare = contract(from, platformGrant("5", "MONTH", "{\"maxShare\":\"1.5\"}"));
        assertThat(badShare.status()).isEqualTo(400);
        assertThat(badShare.json().path("error").asString()).contains("maxShare");
        Http.Response both = contract(from, platformGrant("5", "MONTH", "{\"maxShare\":\"0.5\",\"maxUnits\":\"2\"}"));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().path("error").asString()).contains("either maxUnits or maxShare");
        Http.Response twice = contract(from, platformGrant("5", "MONTH", null) + "," + platformGrant("6", "MONTH", null));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().path("error").asString()).contains("twice");
        Http.Response perMinute = admin("/api/admin/v1/customers/" + acme.externalId() + "/contracts",
                "{\"effectiveFrom\":\"" + from + "\",\"reason\":\"r\",\"pricingModel\":\"PER_MINUTE\","
                        + "\"perMinuteRate\":\"0.10\",\"grants\":[" + platformGrant("5", "MONTH", null) + "]}");
        assertThat(perMinute.status()).isEqualTo(400);
        assertThat(perMinute.json().path("error").asString()).contains("RATE_CARD contracts only");
        // the positive control: the same grant, right, is added and kept with the contract's terms
        Http.Response right = contract(from, platformGrant("5", "MONTH", "{\"maxShare\":\"0.5\"}"));
        assertThat(right.status()).as(right.toString()).isEqualTo(201);
        JsonNode kept = http.get("/api/admin/v1/customers/" + acme.externalId() + "/contracts")
                .bearer(TestFixtures.ADMIN_TOKEN).send().json().get(0).path("terms").path("grants").get(0);
        assertThat(kept.path("amount").asString()).isEqualTo("5");
        assertThat(kept.path("rollover").path("maxShare").asString()).isEqualTo("0.5");
    }
}
