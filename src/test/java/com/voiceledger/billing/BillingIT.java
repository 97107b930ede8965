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
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Month-end close end to end, over HTTP: each test bills its own past month (the rate card is global,
 * so each publishes its prices at its month's start and fences them off at the month's end).
 */
@IntegrationTest
class BillingIT {

    static final AtomicInteger NEXT = new AtomicInteger();
    /** Platform and telephony priced; every other layer of the sample call free, so the call is fully priced. */
    static final String PLATFORM_ONLY = "{\"layer\":\"platform\",\"provider\":\"vapi\",\"model\":\"*\",\"unit\":\"minute\",\"unitPrice\":\"0.05\"},"
            + "{\"layer\":\"telephony\",\"provider\":\"twilio\",\"model\":\"*\",\"unit\":\"minute\",\"unitPrice\":\"0.01\"},"
            + FreeRates.json("platform", "telephony");

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
    Samples samples;
    YearMonth month;
    Customer acme;
    String acmeKey;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        month = YearMonth.of(2021, 1).plusMonths(2L * NEXT.getAndIncrement());
        samples = Samples.fresh().onDay(month.atDay(10));
        acme = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Acme", "USD", "America/New_York"));
        acmeKey = fixtures.apiKey(acme);
        publish(month.atDay(1) + "T00:00:00Z", PLATFORM_ONLY);
        // a fence so that later months (other tests) are not priced by this test's card
        publish(month.plusMonths(1).atDay(20) + "T00:00:00Z",
                "{\"layer\":\"other\",\"provider\":\"fence\",\"model\":\"*\",\"unit\":\"token\",\"unitPrice\":\"0\"}");
    }

    void publish(String effectiveFrom, String entries) {
        Http.Response response = admin("/api/admin/v1/rate-card/versions", "{\"effectiveFrom\":\"" + effectiveFrom
                + "\",\"currency\":\"USD\",\"reason\":\"billing test\",\"entries\":[" + entries + "]}");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    Http.Response admin(String path, String json) {
        return http.post(path, "application/json", json).bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    void deliver(String body) {
        Http.Response response = http.post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    BillingRun close(YearMonth which) {
        return close(which, acme);
    }

    BillingRun close(YearMonth which, Customer customer) {
        Http.Response started = admin("/api/admin/v1/billing-runs", "{\"month\":\"" + which + "\",\"customer\":\""
                + customer.externalId() + "\"}");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        runs.runQueued();
        JsonNode run = http.get("/api/admin/v1/billing-runs/" + started.json().path("id").asLong())
                .bearer(TestFixtures.ADMIN_TOKEN).send().json();
        assertThat(run.path("status").asString()).isEqualTo("DONE");
        return runs.get(started.json().path("id").asLong());
    }

    JsonNode invoice(long id) {
        Http.Response response = http.get("/api/v1/invoices/" + id).bearer(acmeKey).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    static List<String> lines(JsonNode invoice) {
        List<String> lines = new ArrayList<>();
        invoice.path("lines").forEach(line -> lines.add(line.path("kind").asString() + " "
                + line.path("description").asString() + " = " + line.path("amount").asString()));
        return lines;
    }

    static BigDecimal sumOfLines(JsonNode invoice) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode line : invoice.path("lines")) {
            sum = sum.add(new BigDecimal(line.path("amount").asString()));
        }
        return sum;
    }

    @Test
    void closingAMonthBillsItsRatedCallsLineByLineAndClosingAgainChangesNothing() {
        deliver(samples.text(Samples.EOCR));
        BillingRun run = close(month);
        assertThat(run.results()).singleElement().satisfies(result -> assertThat(result.outcome()).isEqualTo("INVOICED"));
        long invoiceId = run.results().getFirst().invoiceId();
        JsonNode invoice = invoice(invoiceId);
        // platform 3.2 × 0.05 = 0.16; telephony 3.2 × 0.01 = 0.032 → 0.03; the rest is free in this test (0.00 each)
        assertThat(lines(invoice)).contains("usage platform vapi normal minute = 0.16",
                "usage telephony twilio - minute = 0.03");
        assertThat(invoice.path("total").asString()).isEqualTo("0.19");
        assertThat(sumOfLines(invoice)).isEqualByComparingTo(invoice.path("total").asString());
        JsonNode platform = invoice.path("lines").get(lines(invoice).indexOf("usage platform vapi normal minute = 0.16"));
        assertThat(platform.path("explanation").path("calls").asInt()).isEqualTo(1);
        assertThat(platform.path("explanation").path("priceSource").asString()).contains("platform vapi * minute");
        assertThat(platform.path("explanation").path("callsLink").asString()).startsWith("calls?customer=" + acme.externalId());

        Http.Response tooMuch = admin("/api/admin/v1/invoices/" + invoiceId + "/credit-notes",
                "{\"customer\":\"" + acme.externalId() + "\",\"amount\":\"0.20\",\"reason\":\"goodwill\"}");
        assertThat(tooMuch.status()).isEqualTo(400);
        Http.Response note = admin("/api/admin/v1/invoices/" + invoiceId + "/credit-notes",
                "{\"customer\":\"" + acme.externalId() + "\",\"amount\":\"0.05\",\"reason\":\"dropped call\"}");
        assertThat(note.status()).as(note.toString()).isEqualTo(201);
        assertThat(note.json().path("number").asString()).matches("VL-CN-\\d{4}-\\d{6}"); // its own series (decision 0071)
        assertThat(note.json().path("total").asString()).isEqualTo("-0.05");
        assertThat(invoice(invoiceId).toString()).isEqualTo(invoice.toString());

        BillingRun again = close(month);
        assertThat(again.results().getFirst().outcome()).isEqualTo("ALREADY_CLOSED");
        assertThat(again.results().getFirst().invoiceId()).isEqualTo(invoiceId);
        assertThat(invoice(invoiceId).toString()).isEqualTo(invoice.toString());
        // the invoice and its credit note
        assertThat(http.get("/api/v1/invoices").bearer(acmeKey).send().json().size()).isEqualTo(2);
    }

    @Test
    void aCallAt235959OnTheLastDayInTheCustomersTimeZoneBelongsToThatMonthInWinterAndInSummerTime() {
        // New York and Asunción keep summer time in opposite halves of the year: whichever month this test
        // gets (an odd month of 2021), one of them ends it in standard (winter) time, the other in summer time
        // (e.g. March 31: New York EDT, UTC−4; Asunción PYT, UTC−4 standard, its summer time ended March 28)
        Customer asuncion = customers.create(NewCustomer.parse("py-" + samples.id(Samples.ACME), "Acme Asunción",
                "USD", "America/Asuncion"));
        Set<Boolean> summerTime = new HashSet<>();
        for (Customer customer : List.of(acme, asuncion)) {
            ZoneId zone = customer.billingTimeZone();
            Instant lastSecond = month.atEndOfMonth().atTime(23, 59, 59).atZone(zone).toInstant();
            summerTime.add(zone.getRules().isDaylightSavings(lastSecond));
            // a 192 s call starting at the last second, and one starting a second later (next month's)
            for (Instant start : List.of(lastSecond, lastSecond.plusSeconds(1))) {
                Samples call = Samples.fresh().onDay(month.atDay(10));
                deliver(call.text(Samples.EOCR).replace(call.id(Samples.ACME), customer.externalId())
                        .replace(month.atDay(10) + "T14:05:12.100Z", start.toString())
                        .replace(month.atDay(10) + "T14:08:24.100Z", start.plusSeconds(192).toString()));
            }
            BillingRun run = close(month, customer);
            Http.Response invoice = http.get("/api/v1/invoices/" + run.results().getFirst().invoiceId())
                    .bearer(fixtures.apiKey(customer)).send();
            assertThat(invoice.status()).as(invoice.toString()).isEqualTo(200);
            // 3.2 min × 0.05 = 0.16: the first call only (both would be 0.32)
            assertThat(lines(invoice.json())).as(zone + " at " + lastSecond)
                    .filteredOn(line -> line.startsWith("usage platform"))
                    .containsExactly("usage platform vapi normal minute = 0.16");
        }
        assertThat(summerTime).as("month ends in summer time and in standard time").containsExactlyInAnyOrder(true,
                false);
    }

    @Test
    void aCallArrivingAfterItsMonthClosedIsLateUsageOnTheNextInvoiceAndClosedChargesAreNeverReRated() {
        deliver(samples.text(Samples.EOCR));
        long march = close(month).results().getFirst().invoiceId();
        String marchTotal = invoice(march).path("total").asString();

        Samples late = Samples.fresh().onDay(month.atDay(20));
        deliver(late.text(Samples.EOCR).replace(late.id(Samples.ACME), acme.externalId()));
        // a price correction for the closed month: re-rating must not touch the invoiced call
        publish(month.atDay(1) + "T00:00:00Z", PLATFORM_ONLY.replace("0.05", "0.10"));
        jobs.runQueued();
        assertThat(invoice(march).path("total").asString()).isEqualTo(marchTotal);
        JsonNode invoicedCall = http.get("/api/v1/calls/" + samples.id(Samples.MAIN_CALL_ID)).bearer(acmeKey).send().json();
        assertThat(invoicedCall.path("charge").asString()).isEqualTo("0.192");

        long april = close(month.plusMonths(1)).results().getFirst().invoiceId();
        // the late call was re-rated with the correction (it was never invoiced): 3.2 × 0.10 = 0.32
        assertThat(lines(invoice(april))).contains("late_usage Late usage: platform vapi normal minute = 0.32");
    }

    @Test
    void creditsAreAppliedByTheLedgerAndShownOnTheInvoice() {
        deliver(samples.text(Samples.EOCR));
        Http.Response granted = admin("/api/admin/v1/customers/" + acme.externalId() + "/credits",
                "{\"amount\":\"0.10\",\"effectiveFrom\":\"" + month.atDay(1) + "T00:00:00Z\",\"priority\":1,"
                        + "\"reason\":\"launch credit\"}");
        assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
        JsonNode invoice = invoice(close(month).results().getFirst().invoiceId());
        // 0.19 due, 0.10 credit
        assertThat(lines(invoice)).contains("credit Credit: launch credit = -0.10");
        assertThat(invoice.path("subtotal").asString()).isEqualTo("0.19");
        assertThat(invoice.path("credits").asString()).isEqualTo("-0.10");
        assertThat(invoice.path("total").asString()).isEqualTo("0.09");
        JsonNode grants = http.get("/api/v1/credits").bearer(acmeKey).send().json();
        assertThat(grants.get(0).path("balance").asString()).isEqualTo("0.00");
        assertThat(grants.get(0).path("entries").size()).isEqualTo(2);
        Http.Response voided = admin("/api/admin/v1/customers/" + acme.externalId() + "/credits/"
                + grants.get(0).path("id").asLong() + "/void", "{\"reason\":\"mistake\"}");
        assertThat(voided.status()).isEqualTo(400);
    }

    @Test
    void aCallNotPricedAtTheCloseStaysOffTheInvoiceAndBillsAsLateUsageOncePriced() {
        // EUR: the USD rate card cannot price this customer's calls until it has a contract
        Samples euro = Samples.fresh().onDay(month.atDay(12));
        Customer eur = customers.create(NewCustomer.parse(euro.id(Samples.ACME), "Acme EUR", "EUR", "America/New_York"));
        deliver(euro.text(Samples.EOCR));
        Http.Response started = admin("/api/admin/v1/billing-runs", "{\"month\":\"" + month + "\",\"customer\":\""
                + eur.externalId() + "\"}");
        runs.runQueued();
        long march = runs.get(started.json().path("id").asLong()).results().getFirst().invoiceId();
        String eurKey = fixtures.apiKey(eur);
        JsonNode closed = http.get("/api/v1/invoices/" + march).bearer(eurKey).send().json();
        // not a "(not priced yet)" line at 0.00 that would take the call off the books for good
        assertThat(lines(closed)).isEmpty();
        assertThat(closed.path("total").asString()).isEqualTo("0.00");

        Http.Response contract = admin("/api/admin/v1/customers/" + eur.externalId() + "/contracts", """
                {"effectiveFrom": "%sT00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "billingIncrementSeconds": 1, "reason": "EUR terms signed"}
                """.formatted(month.atDay(1)));
        assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
        jobs.runQueued();
        Http.Response next = admin("/api/admin/v1/billing-runs", "{\"month\":\"" + month.plusMonths(1)
                + "\",\"customer\":\"" + eur.externalId() + "\"}");
        runs.runQueued();
        long april = runs.get(next.json().path("id").asLong()).results().getFirst().invoiceId();
        // priced now: 192 s = 3.2 min × 0.10 = 0.32, on April as late usage
        JsonNode late = http.get("/api/v1/invoices/" + april).bearer(eurKey).send().json();
        assertThat(lines(late)).singleElement().asString().startsWith("late_usage").endsWith("= 0.32");
    }

    @Test
    void anotherCustomersInvoiceIsNotFoundAndTheCurrentMonthCannotBeClosed() {
        deliver(samples.text(Samples.EOCR));
        long invoiceId = close(month).results().getFirst().invoiceId();
        Customer other = fixtures.customer("other-" + UUID.randomUUID().toString().substring(0, 8));
        String otherKey = fixtures.apiKey(other);
        assertThat(http.get("/api/v1/invoices/" + invoiceId).bearer(otherKey).send().status()).isEqualTo(404);
        assertThat(http.get("/api/v1/invoices/" + invoiceId + ".csv").bearer(otherKey).send().status()).isEqualTo(404);
        Http.Response html = http.get("/api/v1/invoices/" + invoiceId + ".html").bearer(acmeKey).send();
        assertThat(html.contentType()).startsWith("text/html");
        assertThat(html.body()).contains("<h1>Invoice VL-").contains("platform vapi normal minute").contains("0.19 USD");
        assertThat(http.get("/api/v1/invoices/" + invoiceId + ".html").bearer(otherKey).send().status()).isEqualTo(404);
        Http.Response csv = http.get("/api/v1/invoices/" + invoiceId + ".csv").bearer(acmeKey).send();
        assertThat(csv.body()).contains("usage,platform vapi normal minute").contains("0.19");
        JsonNode upcoming = http.get("/api/v1/invoices/upcoming").bearer(otherKey).send().json();
        assertThat(upcoming.path("status").asString()).isEqualTo("UPCOMING");
        assertThat(upcoming.path("total").asString()).isEqualTo("0.00");
        assertThat(admin("/api/admin/v1/billing-runs", "{\"month\":\"2999-01\"}").status()).isEqualTo(400);
        assertThat(admin("/api/admin/v1/billing-runs", "{\"month\":\"March\"}").status()).isEqualTo(400);
    }
}
