package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.spendcap.InvoiceNotices;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.support.Http;
import com.voiceledger.support.MutableClock;
import com.voiceledger.support.Samples;
import com.voiceledger.support.Signatures;
import com.voiceledger.support.TestFixtures;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Invoices issue themselves (BILLING-RULES §5), driven by the clock: a month becomes a draft at 00:00
 * on the 1st in the customer's zone (+14, −11, New York across the end of daylight saving), late
 * calls show on the draft during the grace period, the draft finalizes by itself when it ends (pushed
 * and announced once), a draft with unpriced calls is held, finance extends, holds, releases and
 * finalizes, and months missed while nothing ran are caught up. Each tick is limited to the test's
 * customers (the database is shared with other tests).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(MutableClock.Config.class)
class InvoiceIssuingIT {

    static final MutableClock CLOCK = MutableClock.INSTANCE;

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    InvoiceIssuing issuing;
    @Autowired
    InvoiceService invoices;
    @Autowired
    InvoiceNotices notices;
    @Autowired
    SpendCaps spendCaps;
    @Autowired
    RatingJobs jobs;
    @Autowired
    JdbcClient jdbc;

    Customer customer(String zone, String currency, boolean perMinuteContract) {
        Samples samples = Samples.fresh();
        Customer customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Issuing " + zone, currency,
                zone));
        if (perMinuteContract) {
            // from the start of the month it is now in its zone: every month from there has its invoice
            ZoneId billingZone = ZoneId.of(zone);
            contract(customer, java.time.YearMonth.from(CLOCK.instant().atZone(billingZone)).atDay(1)
                    .atStartOfDay(billingZone).toInstant().toString(), currency);
        }
        return customer;
    }

    void contract(Customer customer, String effectiveFrom, String currency) {
        Http.Response response = http().post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "%s", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "billingIncrementSeconds": 1, "reason": "issuing test"}
                """.formatted(effectiveFrom)).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    Http http() {
        return new Http(port);
    }

    /** A 192-second call (3.2 minutes: 0.32 at 0.10/min) of this customer starting at {@code start}. */
    void call(Customer customer, String start) {
        Samples samples = Samples.fresh();
        Instant started = Instant.parse(start);
        String body = samples.text(Samples.EOCR).replace(samples.id(Samples.ACME), customer.externalId())
                .replace("2026-11-03T14:05:12.100Z", started.toString())
                .replace("2026-11-03T14:08:24.100Z", started.plusSeconds(192).toString());
        Http.Response response = http().post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    InvoiceIssuing.Tick tickAt(String instant, Customer... only) {
        CLOCK.set(instant);
        return issuing.tick(java.util.Arrays.stream(only).map(Customer::id).toList());
    }

    List<Invoice> invoicesOf(Customer customer) {
        return invoices.invoices(customer.id());
    }

    Invoice only(Customer customer) {
        List<Invoice> all = invoicesOf(customer);
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    JsonNode customerApi(Customer customer, String path) {
        Http.Response response = http().get(path).bearer(fixtures.apiKey(customer)).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    Http.Response admin(String method, String path, String json) {
        Http http = http();
        return (method.equals("PUT") ? http.put(path, "application/json", json)
                : http.post(path, "application/json", json)).bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    @Test
    void inKiritimatiOctoberIsADraftAt1000UtcOnOctober31TakesLateCallsAndFinalizesItselfADayLater() throws Exception {
        CLOCK.set("2026-10-20T00:00:00Z");
        Customer customer = customer("Pacific/Kiritimati", "USD", true);
        call(customer, "2026-10-25T01:00:00Z");
        List<String[]> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            received.add(new String[] {exchange.getRequestHeaders().getFirst("X-VoiceLedger-Signature"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String secret = spendCaps.setAlertWebhook(customer, "http://127.0.0.1:" + receiver.getAddress().getPort()
                    + "/hooks");
            // 23:59:59 on October 31 in Kiritimati (UTC+14): October has not ended there
            assertThat(tickAt("2026-10-31T09:59:59Z", customer).drafted()).isZero();
            assertThat(invoicesOf(customer)).isEmpty();
            assertThat(issuing.calendar(customer).getFirst().state()).isEqualTo(CalendarMonth.OPEN);

            assertThat(tickAt("2026-10-31T10:00:00Z", customer).drafted()).isEqualTo(1);
            Invoice draft = only(customer);
            assertThat(draft.status()).isEqualTo(Invoice.DRAFT);
            assertThat(draft.month()).hasToString("2026-10");
            assertThat(draft.finalizesAt()).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
            assertThat(draft.total()).isEqualByComparingTo("0.32");

            // a late October call (23:30 on the 31st there) arrives during the grace period: ordinary usage
            CLOCK.set("2026-10-31T18:00:00Z");
            call(customer, "2026-10-31T09:30:00Z");
            JsonNode shown = customerApi(customer, "/api/v1/invoices/" + draft.id());
            assertThat(shown.path("status").asString()).isEqualTo("DRAFT");
            assertThat(shown.path("finalizesAt").asString()).isEqualTo("2026-11-01T10:00:00Z");
            assertThat(shown.path("finalizedAt").isNull()).isTrue();
            assertThat(shown.path("number").isNull()).as("a draft has no legal number yet (decision 0071)").isTrue();
            assertThat(shown.path("total").asString()).isEqualTo("0.64");
            assertThat(customerApi(customer, "/api/v1/invoices").get(0).path("status").asString()).isEqualTo("DRAFT");

            assertThat(tickAt("2026-11-01T09:59:59Z", customer).finalized()).isZero();
            assertThat(only(customer).status()).isEqualTo(Invoice.DRAFT);

            assertThat(tickAt("2026-11-01T10:00:00Z", customer).finalized()).isEqualTo(1);
            Invoice finalized = invoices.get(customer.id(), draft.id());
            assertThat(finalized.status()).isEqualTo(Invoice.FINALIZED);
            // the legal series of the finalization's year (decision 0071), not the invoice id
            assertThat(finalized.number()).matches("VL-2026-\\d{6}");
            assertThat(customerApi(customer, "/api/v1/invoices/" + draft.id()).path("number").asString())
                    .isEqualTo(finalized.number());
            assertThat(finalized.finalizedAt()).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
            assertThat(finalized.finalizesAt()).isNull();
            assertThat(finalized.total()).isEqualByComparingTo("0.64");
            assertThat(jdbc.sql("select count(*) from stripe_invoice_push where invoice_id = :id")
                    .param("id", draft.id()).query(Long.class).single()).isEqualTo(1);

            notices.deliverDue();
            notices.deliverDue();
            assertThat(received).hasSize(1);
            String[] parts = received.getFirst()[0].split(",");
            long timestamp = Long.parseLong(parts[0].substring(2));
            assertThat(parts[1]).isEqualTo("v1=" + Signatures.outbound(secret, timestamp, received.getFirst()[1]));
            assertThat(received.getFirst()[1]).contains("\"type\":\"invoice.finalized\"")
                    .contains("\"number\":\"" + finalized.number() + "\"").contains("\"total\":\"0.64\"");

            // an October call after finalization is late usage on November; the final invoice never changes
            call(customer, "2026-10-31T08:00:00Z");
            assertThat(tickAt("2026-11-02T10:00:00Z", customer)).isEqualTo(new InvoiceIssuing.Tick(0, 0, 0, 0));
            assertThat(invoices.get(customer.id(), draft.id())).isEqualTo(finalized);
            assertThat(invoices.upcoming(customer).lines()).anySatisfy(line -> {
                assertThat(line.kind()).isEqualTo(LineKind.LATE_USAGE);
                assertThat(line.amount()).isEqualByComparingTo("0.32");
            });
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void inPagoPagoADraftWithUnpricedCallsIsHeldAndWhenFinanceFinalizesThemTheyBillLaterAsLateUsage() {
        CLOCK.set("2026-10-20T00:00:00Z");
        // EUR with no contract: the USD rate card cannot price its calls
        Customer customer = customer("Pacific/Pago_Pago", "EUR", false);
        call(customer, "2026-10-31T10:00:00Z"); // 23:00 on October 31 in Pago Pago (UTC−11)

        assertThat(tickAt("2026-11-01T10:59:59Z", customer).drafted()).isZero();
        assertThat(tickAt("2026-11-01T11:00:00Z", customer).drafted()).isEqualTo(1);
        Invoice draft = only(customer);
        assertThat(draft.finalizesAt()).isEqualTo(Instant.parse("2026-11-02T11:00:00Z"));

        assertThat(tickAt("2026-11-02T11:00:00Z", customer).held()).isEqualTo(1);
        Invoice held = only(customer);
        assertThat(held.status()).isEqualTo(Invoice.HELD);
        assertThat(held.holdReason()).startsWith("1 call is not priced yet");
        assertThat(issuing.needingAttention(java.time.Duration.ofHours(24)))
                .anySatisfy(item -> assertThat(item.invoiceId()).isEqualTo(draft.id()));
        assertThat(tickAt("2026-11-03T11:00:00Z", customer).held()).isZero();
        assertThat(only(customer).status()).isEqualTo(Invoice.HELD);

        // finance finalizes anyway: the unpriced call is not invoiced at 0.00, it stays open
        Http.Response finalizeNow = admin("POST", "/api/admin/v1/invoices/" + draft.id() + "/finalize",
                "{\"reason\": \"price list for EUR comes next week\"}");
        assertThat(finalizeNow.status()).as(finalizeNow.toString()).isEqualTo(200);
        assertThat(finalizeNow.json().path("status").asString()).isEqualTo("FINALIZED");
        assertThat(finalizeNow.json().path("total").asString()).isEqualTo("0.00");
        assertThat(finalizeNow.json().path("lines").size()).isZero();
        assertThat(jdbc.sql("select count(*) from audit_entry where action = 'invoice.finalize' and subject = :number")
                .param("number", finalizeNow.json().path("number").asString()).query(Long.class).single())
                .isEqualTo(1);

        // once priced, it bills as late usage on November: 3.2 min × 0.10 = 0.32
        contract(customer, "2026-10-01T00:00:00Z", "EUR");
        jobs.runQueued();
        assertThat(invoices.upcoming(customer).lines()).anySatisfy(line -> {
            assertThat(line.kind()).isEqualTo(LineKind.LATE_USAGE);
            assertThat(line.amount()).isEqualByComparingTo("0.32");
        });
    }

    @Test
    void inNewYorkTheGraceIsElapsedTimeAcrossTheEndOfDaylightSavingAndFinanceExtendsHoldsAndReleases() {
        CLOCK.set("2026-10-20T00:00:00Z");
        Customer customer = customer("America/New_York", "USD", true);
        call(customer, "2026-10-30T15:00:00Z");

        // October ends at 00:00 EDT (UTC−4); 24 h later it is 23:00 EST, after the clocks went back at 02:00
        assertThat(tickAt("2026-11-01T03:59:59Z", customer).drafted()).isZero();
        assertThat(tickAt("2026-11-01T04:00:00Z", customer).drafted()).isEqualTo(1);
        Invoice draft = only(customer);
        assertThat(draft.finalizesAt()).isEqualTo(Instant.parse("2026-11-02T04:00:00Z"));
        assertThat(draft.finalizesAt().atZone(ZoneId.of("America/New_York")).toLocalDateTime())
                .hasToString("2026-11-01T23:00");

        Http.Response extended = admin("PUT", "/api/admin/v1/customers/" + customer.externalId() + "/grace-period",
                "{\"gracePeriod\": \"48h\", \"reason\": \"usage dispute under review\"}");
        assertThat(extended.status()).as(extended.toString()).isEqualTo(200);
        assertThat(extended.json().path("graceOverridden").asBoolean()).isTrue();
        assertThat(only(customer).finalizesAt()).isEqualTo(Instant.parse("2026-11-03T04:00:00Z"));
        assertThat(tickAt("2026-11-02T04:00:00Z", customer).finalized()).isZero();

        Http.Response hold = admin("POST", "/api/admin/v1/customers/" + customer.externalId() + "/billing-hold",
                "{\"hold\": true, \"reason\": \"contract renegotiation\"}");
        assertThat(hold.status()).as(hold.toString()).isEqualTo(200);
        assertThat(only(customer).status()).isEqualTo(Invoice.HELD);
        assertThat(only(customer).holdReason()).isEqualTo("On hold by finance: contract renegotiation");
        assertThat(tickAt("2026-11-03T05:00:00Z", customer).finalized()).isZero();
        assertThat(only(customer).status()).isEqualTo(Invoice.HELD);
        JsonNode listed = http().get("/api/admin/v1/invoices?month=2026-10&customer=" + customer.externalId() + "&status=HELD")
                        .bearer(TestFixtures.ADMIN_TOKEN).send().json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("holdReason").asString()).contains("renegotiation");
        assertThat(listed.get(0).path("number").isNull()).as("finance sees no legal number before it is final")
                .isTrue();

        assertThat(admin("POST", "/api/admin/v1/customers/" + customer.externalId() + "/billing-hold",
                "{\"hold\": false, \"reason\": \"signed\"}").status()).isEqualTo(200);
        assertThat(only(customer).status()).isEqualTo(Invoice.DRAFT);
        assertThat(tickAt("2026-11-03T05:01:00Z", customer).finalized()).isEqualTo(1);
        assertThat(only(customer).status()).isEqualTo(Invoice.FINALIZED);
        assertThat(http().get("/api/admin/v1/invoices?month=2026-10&customer=" + customer.externalId())
                .bearer(TestFixtures.ADMIN_TOKEN).send().json().get(0).path("number").asString())
                .isEqualTo(only(customer).number()).matches("VL-2026-\\d{6}");
        assertThat(jdbc.sql("select action from audit_entry where subject = :customer order by id")
                .param("customer", customer.externalId()).query(String.class).list())
                .containsSubsequence("billing.grace-period", "billing.hold", "billing.release");
    }

    @Test
    void monthsThatEndedWhileNothingRanAreDraftedByTheNextTickAndFinalizeInOrderAFullGracePeriodLater() {
        CLOCK.set("2026-08-05T00:00:00Z");
        Customer customer = customer("UTC", "USD", true);
        call(customer, "2026-08-10T12:00:00Z");
        call(customer, "2026-09-10T12:00:00Z");
        call(customer, "2026-09-11T12:00:00Z");

        // drafted late, they still wait a full grace period from now (BILLING-RULES §5)
        InvoiceIssuing.Tick tick = tickAt("2026-11-15T00:00:00Z", customer);
        assertThat(tick.drafted()).isEqualTo(3);
        assertThat(tick.finalized()).isZero();
        assertThat(invoicesOf(customer)).allSatisfy(invoice -> assertThat(invoice.finalizesAt())
                .isEqualTo(Instant.parse("2026-11-16T00:00:00Z")));
        assertThat(tickAt("2026-11-15T23:59:59Z", customer).finalized()).isZero();
        assertThat(tickAt("2026-11-16T00:00:00Z", customer).finalized()).isEqualTo(3);
        assertThat(invoicesOf(customer)).extracting(invoice -> invoice.month() + " " + invoice.status() + " "
                + invoice.total()).containsExactly("2026-10 FINALIZED 0.00", "2026-09 FINALIZED 0.64",
                        "2026-08 FINALIZED 0.32");
        assertThat(tickAt("2026-11-16T00:01:00Z", customer)).isEqualTo(new InvoiceIssuing.Tick(0, 0, 0, 0));
    }
}
