package com.voiceledger.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Instances.MutableClock;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real stripe-java client against a local server that records every request: what was sent,
 * with which idempotency keys and amounts, and that a retried push creates nothing twice.
 */
@IntegrationTest
class StripeIT {

    record Recorded(String method, String path, String idempotencyKey, String body) {
    }

    static final List<Recorded> REQUESTS = new CopyOnWriteArrayList<>();
    static final AtomicBoolean FAIL_FINALIZE = new AtomicBoolean();

    /** How the fake fails once {@link #SERVE_BEFORE_FAILING} requests have been answered. */
    enum Cut {
        /** Stripe did the work, but the answer never arrives (the connection drops): the worst case for duplicates. */
        DROP_AFTER_PROCESSING,
        /** Stripe (or a proxy in front of it) answers 500 without doing anything. */
        ERROR_BEFORE_PROCESSING
    }

    /** Requests still answered before every further one fails; negative: never fail. */
    static final java.util.concurrent.atomic.AtomicInteger SERVE_BEFORE_FAILING = new java.util.concurrent.atomic.AtomicInteger(-1);
    static volatile Cut cut = Cut.DROP_AFTER_PROCESSING;
    /** Like Stripe: the first successful answer per idempotency key, with the parameters it was made for. */
    static final java.util.Map<String, String[]> BY_KEY = new java.util.concurrent.ConcurrentHashMap<>();
    /** What the fake Stripe really created (not replayed): "invoiceitem in_x 16", "invoice in_x", "customer". */
    static final List<String> CREATED = new CopyOnWriteArrayList<>();
    /** The fake Stripe's own time: moved on by tests to let it forget idempotency keys (after 24 h). */
    static final MutableClock FAKE_CLOCK = new MutableClock();
    static final java.util.concurrent.atomic.AtomicLong ANSWER_DELAY_MILLIS = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicReference<Runnable> BEFORE_FINALIZE_FAILS =
            new java.util.concurrent.atomic.AtomicReference<>(() -> { });
    static final HttpServer FAKE_STRIPE = start();
    static final String WEBHOOK_SECRET = "whsec_test";

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("stripe.api-key", () -> "sk_test_voiceledger");
        registry.add("stripe.webhook-secret", () -> WEBHOOK_SECRET);
        registry.add("stripe.api-base", () -> "http://127.0.0.1:" + FAKE_STRIPE.getAddress().getPort());
        registry.add("voiceledger.stripe.push-poll", () -> "1h");
        registry.add("voiceledger.stripe.push-poll-start", () -> "1h");
    }

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    BillingRuns runs;
    @Autowired
    StripePushes stripe;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Http http;
    Samples samples;
    Customer customer;
    long invoiceId;

    @BeforeEach
    void closeAMonth() {
        http = new Http(port);
        samples = Samples.fresh().onDay(java.time.LocalDate.of(2019, 5, 10));
        customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Stripe Co", "USD", "UTC"));
        http.post("/api/admin/v1/rate-card/versions", "application/json", """
                {"effectiveFrom": "2019-05-01T00:00:00Z", "currency": "USD", "reason": "stripe test",
                 "entries": [{"layer": "platform", "provider": "vapi", "model": "*", "unit": "minute", "unitPrice": "0.05"},
                             {"layer": "stt", "provider": "*", "model": "*", "unit": "minute", "unitPrice": "0.01"},
                             %s]}
                """.formatted(com.voiceledger.support.FreeRates.json("platform", "stt")))
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        http.post("/api/admin/v1/rate-card/versions", "application/json", """
                {"effectiveFrom": "2019-06-01T00:00:00Z", "currency": "USD", "reason": "fence",
                 "entries": [{"layer": "other", "provider": "fence", "model": "*", "unit": "token", "unitPrice": "0"}]}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        long run = runs.start(YearMonth.of(2019, 5), customer, "test");
        runs.runQueued();
        invoiceId = runs.get(run).results().getFirst().invoiceId();
        REQUESTS.clear();
        FAIL_FINALIZE.set(false);
        SERVE_BEFORE_FAILING.set(-1);
        CREATED.clear();
        CUSTOMERS.clear();
        INVOICES.clear();
        ITEMS.clear();
        CREDIT_NOTES.clear();
        ANSWER_DELAY_MILLIS.set(0);
        BEFORE_FINALIZE_FAILS.set(() -> { });
    }

    /** The requests that change something at Stripe (lookups left out). */
    static List<Recorded> posts() {
        return REQUESTS.stream().filter(r -> r.method().equals("POST")).toList();
    }

    Http.Response push() {
        return http.post("/api/admin/v1/invoices/" + invoiceId + "/stripe-push", "application/json", "")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    @Test
    void aFinalisedInvoiceIsPushedAsCustomerInvoiceOneItemPerLineAndFinalisedWithIdempotencyKeys() {
        Http.Response pushed = push();
        assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
        assertThat(pushed.json().path("status").asString()).isEqualTo("PUSHED");
        List<Recorded> posts = posts();
        assertThat(posts).extracting(Recorded::path).containsExactly("/v1/customers", "/v1/invoices",
                "/v1/invoiceitems", "/v1/invoiceitems", "/v1/invoices/" + stripeInvoiceId("vl-invoice-" + invoiceId) + "/finalize");
        // lines 1-5 (analysis, llm) are free in this test, amount 0: nothing to send for them;
        // line 6 is platform, line 7 stt (lines are ordered by layer, provider, model, unit)
        assertThat(posts).extracting(Recorded::idempotencyKey).containsExactly("vl-customer-" + customer.id(),
                "vl-invoice-" + invoiceId, "vl-invoice-" + invoiceId + "-line-6", "vl-invoice-" + invoiceId + "-line-7",
                "vl-invoice-" + invoiceId + "-finalize");
        // platform 3.2 × 0.05 = 0.16 → 16 cents; stt 3.2 × 0.01 = 0.032 → 0.03 → 3 cents
        assertThat(posts.get(2).body()).contains("amount=16").contains("currency=usd")
                .contains("metadata[voiceledger_invoice_id]=" + invoiceId);
        assertThat(posts.get(3).body()).contains("amount=3");
        assertThat(posts.get(1).body()).contains("customer=cus_fake").contains("auto_advance=false");

        REQUESTS.clear();
        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
        assertThat(REQUESTS).isEmpty();
    }

    @Test
    void aFailedPushIsVisibleAndItsRetryReusesTheSameKeysSoNothingIsCreatedTwice() {
        FAIL_FINALIZE.set(true);
        Http.Response failed = push();
        assertThat(failed.json().path("status").asString()).isEqualTo("FAILED");
        assertThat(failed.json().path("error").asString()).isNotBlank();
        List<String> firstKeys = posts().stream().map(Recorded::idempotencyKey).distinct().toList();

        FAIL_FINALIZE.set(false);
        REQUESTS.clear();
        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
        List<String> retryKeys = posts().stream().map(Recorded::idempotencyKey).filter(k -> !k.startsWith("vl-customer"))
                .distinct().toList();
        assertThat(retryKeys).isSubsetOf(firstKeys);
        assertThat(REQUESTS).extracting(Recorded::path).doesNotContain("/v1/customers");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} after {1} requests, retried {2} h later")
    @org.junit.jupiter.params.provider.CsvSource({"DROP_AFTER_PROCESSING, 0, 0", "DROP_AFTER_PROCESSING, 1, 0",
            "DROP_AFTER_PROCESSING, 2, 0", "DROP_AFTER_PROCESSING, 3, 0", "DROP_AFTER_PROCESSING, 4, 0",
            "ERROR_BEFORE_PROCESSING, 0, 0", "ERROR_BEFORE_PROCESSING, 2, 0", "ERROR_BEFORE_PROCESSING, 4, 0",
            // Stripe has forgotten the idempotency keys by then: only what we stored and what Stripe lists help
            "DROP_AFTER_PROCESSING, 0, 25", "DROP_AFTER_PROCESSING, 1, 25", "DROP_AFTER_PROCESSING, 2, 25",
            "DROP_AFTER_PROCESSING, 3, 25", "DROP_AFTER_PROCESSING, 4, 25", "ERROR_BEFORE_PROCESSING, 2, 25"})
    void aPushCutOffMidInvoiceAndRetriedAtAnyTimeCreatesEveryInvoiceItemExactlyOnce(Cut how, int servedBeforeTheCut,
            int retriedHoursLater) {
        cut = how;
        SERVE_BEFORE_FAILING.set(servedBeforeTheCut);
        Http.Response failed = push();
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        assertThat(failed.json().path("status").asString()).isEqualTo("FAILED");
        assertThat(failed.json().path("error").asString()).isNotBlank();

        FAKE_CLOCK.advance(Duration.ofHours(retriedHoursLater));
        SERVE_BEFORE_FAILING.set(-1);
        Http.Response retried = push();
        assertThat(retried.json().path("status").asString()).as(retried.toString()).isEqualTo("PUSHED");
        String stripeInvoice = stripeInvoiceId("vl-invoice-" + invoiceId);
        assertThat(retried.json().path("stripeInvoiceId").asString()).isEqualTo(stripeInvoice);
        // one customer, one draft, each line's item once (16 + 3 cents), finalised once: nothing twice
        assertThat(CREATED).containsExactly("customer", "invoice " + stripeInvoice, "invoiceitem " + stripeInvoice + " 16",
                "invoiceitem " + stripeInvoice + " 3", "finalized " + stripeInvoice);
        assertThat(REQUESTS).filteredOn(r -> r.idempotencyKey() == null && r.method().equals("POST")).isEmpty();
        // and the push is done: pushing again sends nothing
        REQUESTS.clear();
        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
        assertThat(REQUESTS).isEmpty();
    }

    @Test
    void twoPushesOfOneInvoiceAtOnceSendEachRequestOnce() throws Exception {
        ANSWER_DELAY_MILLIS.set(150); // both requests are under way before either is done
        try (java.util.concurrent.ExecutorService both = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Http.Response>> pushes = List.of(both.submit(() -> {
                go.await();
                return push();
            }), both.submit(() -> {
                go.await();
                return push();
            }));
            go.countDown();
            for (java.util.concurrent.Future<Http.Response> pushed : pushes) {
                assertThat(pushed.get(60, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        }
        assertThat(posts()).extracting(Recorded::idempotencyKey).doesNotHaveDuplicates().hasSize(5);
        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
    }

    @Test
    void aPushThatFailsAfterAnotherFinishedItStaysPushed() {
        FAIL_FINALIZE.set(true);
        // while this push waits for Stripe, another instance (its claim expired) has finished the invoice
        BEFORE_FINALIZE_FAILS.set(() -> jdbc.sql("update stripe_invoice_push set status = 'PUSHED', "
                + "stripe_invoice_id = 'in_elsewhere_' || invoice_id where invoice_id = :id").param("id", invoiceId).update());
        Http.Response pushed = push();
        assertThat(pushed.json().path("status").asString()).as(pushed.toString()).isEqualTo("PUSHED");
    }

    @Test
    void aFailedPushIsRetriedByTheScheduleAfterItsBackoffNotBefore() {
        FAIL_FINALIZE.set(true);
        assertThat(push().json().path("status").asString()).isEqualTo("FAILED");
        FAIL_FINALIZE.set(false);
        REQUESTS.clear();
        stripe.pushPending();
        assertThat(REQUESTS).filteredOn(r -> r.path().contains("vl_invoice_" + invoiceId + "/")).isEmpty();
        jdbc.sql("update stripe_invoice_push set next_attempt_at = now() where invoice_id = :id").param("id", invoiceId)
                .update();
        stripe.pushPending();
        assertThat(stripe.status(invoiceId).orElseThrow().status()).isEqualTo("PUSHED");
    }

    @Test
    void stripeWebhooksWithAValidSignatureSetThePaymentStatusAndOthersAreRefused() {
        push();
        String payload = "{\"id\":\"evt_" + invoiceId + "\",\"object\":\"event\",\"type\":\"invoice.paid\","
                + "\"api_version\":\"2025-01-01\",\"data\":{\"object\":{\"id\":\"" + stripeInvoiceId("vl-invoice-" + invoiceId)
                + "\",\"object\":\"invoice\"}}}";
        long now = Instant.now().getEpochSecond();
        Http.Response forged = http.post("/webhooks/stripe", "application/json", payload)
                .header("Stripe-Signature", "t=" + now + ",v1=" + "0".repeat(64)).send();
        assertThat(forged.status()).isEqualTo(401);
        Http.Response stale = http.post("/webhooks/stripe", "application/json", payload)
                .header("Stripe-Signature", signature(payload, now - 301)).send();
        assertThat(stale.status()).isEqualTo(401);

        Http.Response paid = http.post("/webhooks/stripe", "application/json", payload)
                .header("Stripe-Signature", signature(payload, now)).send();
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        assertThat(paid.json().path("status").asString()).isEqualTo("recorded");
        assertThat(http.post("/webhooks/stripe", "application/json", payload)
                .header("Stripe-Signature", signature(payload, now)).send().json().path("status").asString())
                .isEqualTo("duplicate");
        String key = fixtures.apiKey(customer);
        assertThat(http.get("/api/v1/invoices/" + invoiceId).bearer(key).send().json().path("paymentStatus").asString())
                .isEqualTo("PAID");
    }

    /** An {@code invoice.*} event about our pushed invoice, made by Stripe at {@code created} (unix seconds). */
    String event(String type, long created) {
        return "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":"
                + created + ",\"api_version\":\"2025-01-01\",\"data\":{\"object\":{\"id\":\""
                + stripeInvoiceId("vl-invoice-" + invoiceId) + "\",\"object\":\"invoice\"}}}";
    }

    Http.Response deliver(String event) {
        return http.post("/webhooks/stripe", "application/json", event)
                .header("Stripe-Signature", signature(event, Instant.now().getEpochSecond())).send();
    }

    String paymentStatus() {
        return http.get("/api/v1/invoices/" + invoiceId).bearer(fixtures.apiKey(customer)).send().json()
                .path("paymentStatus").asString();
    }

    @Test
    void aPaymentFailureStripeMadeBeforeThePaymentDoesNotUndoPaidWhenItArrivesAfterIt() {
        push();
        long paidAt = Instant.now().getEpochSecond() - 60;
        assertThat(deliver(event("invoice.paid", paidAt)).json().path("status").asString()).isEqualTo("recorded");
        assertThat(deliver(event("invoice.payment_failed", paidAt - 120)).json().path("status").asString())
                .isEqualTo("older than the status shown");
        assertThat(paymentStatus()).isEqualTo("PAID");
        // a later failure (e.g. a new attempt after a refund) is news
        assertThat(deliver(event("invoice.payment_failed", paidAt + 30)).json().path("status").asString())
                .isEqualTo("recorded");
        assertThat(paymentStatus()).isEqualTo("PAYMENT_FAILED");
    }

    @Test
    void anEventForAnInvoiceNotLinkedYetIsKeptAndAppliedWhenThePushLinksIt() {
        Http.Response early = deliver(event("invoice.paid", Instant.now().getEpochSecond()));
        assertThat(early.status()).as(early.toString()).isEqualTo(200);
        assertThat(early.json().path("status").asString()).startsWith("unknown invoice");
        assertThat(paymentStatus()).isEqualTo("OPEN");
        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
        assertThat(paymentStatus()).isEqualTo("PAID");
    }

    Http.Response setDetails(String legalName) {
        return http.put("/api/admin/v1/customers/" + customer.externalId() + "/billing-details", "application/json", """
                {"legalName": "%s", "address": {"line1": "Friedrichstraße 123", "city": "Berlin", "postalCode": "10117",
                 "country": "DE"}, "taxId": "DE123456789", "purchaseOrder": "PO-77",
                 "billingEmails": ["ap@acme.example", "cfo@acme.example"]}
                """.formatted(legalName)).bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    @Test
    void billingDetailsGoToStripesCustomerOncePerChangeAndThePurchaseOrderOntoTheInvoice() {
        assertThat(setDetails("Stripe Co GmbH").status()).isEqualTo(200);
        // a new month's invoice, finalized with these details (the one made before them has none)
        jdbc.sql("delete from stripe_invoice_push where invoice_id = :id").param("id", invoiceId).update();
        http.post("/api/admin/v1/rate-card/versions", "application/json", """
                {"effectiveFrom": "2019-07-01T00:00:00Z", "currency": "USD", "reason": "fence 2",
                 "entries": [{"layer": "other", "provider": "fence", "model": "*", "unit": "token", "unitPrice": "0"}]}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        long run = runs.start(YearMonth.of(2019, 6), customer, "test");
        runs.runQueued();
        invoiceId = runs.get(run).results().getFirst().invoiceId();
        jdbc.sql("insert into stripe_invoice_push (invoice_id, customer_id, status, updated_at) "
                + "values (:id, :customer, 'PENDING', now()) on conflict do nothing")
                .param("id", invoiceId).param("customer", customer.id().value()).update();

        FAIL_FINALIZE.set(true);
        assertThat(push().json().path("status").asString()).isEqualTo("FAILED");
        Recorded update = posts().stream().filter(r -> r.path().startsWith("/v1/customers/cus_")).findFirst().orElseThrow();
        assertThat(update.body()).contains("name=Stripe Co GmbH").contains("email=ap@acme.example")
                .contains("address[line1]=Friedrichstraße 123").contains("address[country]=DE")
                .contains("address[postal_code]=10117").contains("tax_exempt=none")
                .contains("metadata[voiceledger_tax_id]=DE123456789");
        assertThat(update.idempotencyKey()).isEqualTo("vl-customer-" + customer.id() + "-details-1");
        Recorded draft = posts().stream().filter(r -> r.path().equals("/v1/invoices")).findFirst().orElseThrow();
        assertThat(draft.body()).contains("custom_fields[0][name]=Purchase order").contains("custom_fields[0][value]=PO-77")
                .contains("custom_fields[1][value]=DE123456789");

        FAIL_FINALIZE.set(false);
        REQUESTS.clear();
        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
        assertThat(posts()).as("the retry does not send the details again").extracting(Recorded::path)
                .noneMatch(path -> path.startsWith("/v1/customers"));
        assertThat(CREATED).filteredOn(c -> c.startsWith("customer-update")).hasSize(1);

        // a later change reaches Stripe on the next round, without an invoice to push
        assertThat(setDetails("Stripe Co Renamed GmbH").status()).isEqualTo(200);
        stripe.pushPending();
        stripe.pushPending();
        assertThat(CREATED).filteredOn(c -> c.startsWith("customer-update")).hasSize(2).last().asString()
                .endsWith("Stripe Co Renamed GmbH");
    }

    @Autowired
    StripeCreditNotes creditNotes;

    long issueCreditNote(String amount) {
        Http.Response note = http.post("/api/admin/v1/invoices/" + invoiceId + "/credit-notes", "application/json",
                "{\"customer\": \"" + customer.externalId() + "\", \"amount\": \"" + amount
                        + "\", \"reason\": \"dropped call\"}").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(note.status()).as(note.toString()).isEqualTo(201);
        return note.json().path("id").asLong();
    }

    Http.Response pushCreditNote(long creditNoteId) {
        return http.post("/api/admin/v1/credit-notes/" + creditNoteId + "/stripe-push", "application/json", "")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    @Test
    void aCreditNoteWaitsForItsInvoiceInStripeThenBecomesAStripeCreditNoteAgainstItOnce() {
        long note = issueCreditNote("0.05");
        Http.Response waiting = pushCreditNote(note);
        assertThat(waiting.status()).as(waiting.toString()).isEqualTo(200);
        assertThat(waiting.json().path("status").asString()).isEqualTo("PENDING");
        assertThat(waiting.json().path("error").asString()).contains("waits for invoice " + invoiceId);
        assertThat(posts()).isEmpty();

        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
        REQUESTS.clear();
        // the schedule takes it once its wait is over
        jdbc.sql("update stripe_credit_note_push set next_attempt_at = now() where credit_note_id = :id")
                .param("id", note).update();
        creditNotes.pushPending();
        String stripeInvoice = stripeInvoiceId("vl-invoice-" + invoiceId);
        assertThat(creditNotes.status(note).orElseThrow().status()).isEqualTo("PUSHED");
        // (the schedule also takes credit notes other tests of this database left waiting: only ours is looked at)
        String[] made = CREDIT_NOTES.stream().filter(c -> c[2].equals(Long.toString(note))).findFirst().orElseThrow();
        assertThat(creditNotes.status(note).orElseThrow().stripeCreditNoteId()).isEqualTo(made[0]);
        List<Recorded> ours = posts().stream().filter(r -> r.body().contains("metadata[voiceledger_credit_note_id]=" + note + "&")
                || r.body().endsWith("metadata[voiceledger_credit_note_id]=" + note)).toList();
        assertThat(ours).extracting(Recorded::path).containsExactly("/v1/credit_notes");
        assertThat(ours.getFirst().idempotencyKey()).isEqualTo("vl-credit-note-" + note);
        // 0.05 USD → 5 cents, against the pushed invoice, with our id to find it by
        assertThat(ours.getFirst().body()).contains("invoice=" + stripeInvoice).contains("lines[0][unit_amount]=5")
                .contains("lines[0][type]=custom_line_item").contains("metadata[voiceledger_credit_note_id]=" + note);
        assertThat(CREATED).containsSubsequence("credit_note " + stripeInvoice + " 5");

        REQUESTS.clear();
        assertThat(pushCreditNote(note).json().path("status").asString()).isEqualTo("PUSHED");
        assertThat(REQUESTS).as("a pushed credit note is left as it is").isEmpty();
        assertThat(http.get("/api/admin/v1/credit-notes/" + note + "/stripe").bearer(TestFixtures.ADMIN_TOKEN).send()
                .json().path("stripeCreditNoteId").asString()).isEqualTo(made[0]);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}, retried {1} h later")
    @org.junit.jupiter.params.provider.CsvSource({"DROP_AFTER_PROCESSING, 0", "DROP_AFTER_PROCESSING, 25",
            "ERROR_BEFORE_PROCESSING, 0", "ERROR_BEFORE_PROCESSING, 25"})
    void aCreditNotePushCutOffAndRetriedAtAnyTimeMakesOneStripeCreditNote(Cut how, int retriedHoursLater) {
        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
        long note = issueCreditNote("0.19");
        cut = how;
        SERVE_BEFORE_FAILING.set(0);
        Http.Response failed = pushCreditNote(note);
        assertThat(failed.json().path("status").asString()).as(failed.toString()).isEqualTo("FAILED");
        assertThat(failed.json().path("error").asString()).isNotBlank();

        FAKE_CLOCK.advance(Duration.ofHours(retriedHoursLater));
        SERVE_BEFORE_FAILING.set(-1);
        Http.Response retried = pushCreditNote(note);
        assertThat(retried.json().path("status").asString()).as(retried.toString()).isEqualTo("PUSHED");
        assertThat(CREATED).filteredOn(c -> c.startsWith("credit_note")).as("one Stripe credit note, never two")
                .containsExactly("credit_note " + stripeInvoiceId("vl-invoice-" + invoiceId) + " 19");
        assertThat(retried.json().path("stripeCreditNoteId").asString()).isEqualTo(
                CREDIT_NOTES.stream().filter(c -> c[2].equals(Long.toString(note))).findFirst().orElseThrow()[0]);
    }

    static String signature(String payload, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(
                    mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String stripeInvoiceId(String idempotencyKey) {
        return "in_" + idempotencyKey.replace('-', '_');
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String param(String params, String name) {
        for (String pair : params.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "";
    }

    /** The fake's own state: what Stripe would list and retrieve. */
    record FakeInvoice(String id, String customer, String voiceledgerInvoice, String[] status) {
    }

    record FakeItem(String id, String invoice, String line, String amount) {
    }

    static final List<FakeInvoice> INVOICES = new CopyOnWriteArrayList<>();
    /** Credit notes the fake made: id, Stripe invoice, our credit note id (metadata). */
    static final List<String[]> CREDIT_NOTES = new CopyOnWriteArrayList<>();

    private static String creditNoteJson(String[] note) {
        return "{\"id\":\"" + note[0] + "\",\"object\":\"credit_note\",\"invoice\":\"" + note[1]
                + "\",\"metadata\":{\"voiceledger_credit_note_id\":\"" + note[2] + "\"}}";
    }
    static final List<FakeItem> ITEMS = new CopyOnWriteArrayList<>();
    static final java.util.Map<String, String> CUSTOMERS = new java.util.concurrent.ConcurrentHashMap<>();
    static final java.util.concurrent.atomic.AtomicInteger CUSTOMER_SEQUENCE = new java.util.concurrent.atomic.AtomicInteger();

    private static String invoiceJson(FakeInvoice invoice) {
        return "{\"id\":\"" + invoice.id() + "\",\"object\":\"invoice\",\"status\":\"" + invoice.status()[0]
                + "\",\"customer\":\"" + invoice.customer() + "\",\"metadata\":{\"voiceledger_invoice_id\":\""
                + invoice.voiceledgerInvoice() + "\"}}";
    }

    private static String itemJson(FakeItem item) {
        return "{\"id\":\"" + item.id() + "\",\"object\":\"invoiceitem\",\"invoice\":\"" + item.invoice()
                + "\",\"amount\":" + item.amount() + ",\"metadata\":{\"voiceledger_line\":\"" + item.line() + "\"}}";
    }

    private static String list(String url, List<String> objects) {
        return "{\"object\":\"list\",\"url\":\"" + url + "\",\"has_more\":false,\"data\":[" + String.join(",", objects)
                + "]}";
    }

    /** GET: Stripe's list, search and retrieve, from what the fake created. Never fails, never recorded as created. */
    private static String read(String path, String query) {
        if (path.equals("/v1/customers/search")) {
            // query=metadata['voiceledger_customer']:'acme-...'
            String wanted = query.replaceAll(".*:'(.*)'.*", "$1").replace("\\'", "'");
            List<String> found = CUSTOMERS.entrySet().stream().filter(c -> c.getValue().equals(wanted))
                    .map(c -> "{\"id\":\"" + c.getKey() + "\",\"object\":\"customer\"}").toList();
            return "{\"object\":\"search_result\",\"url\":\"/v1/customers/search\",\"has_more\":false,"
                    + "\"next_page\":null,\"data\":[" + String.join(",", found) + "]}";
        }
        if (path.equals("/v1/invoices")) {
            String customer = param(query, "customer");
            return list(path, INVOICES.stream().filter(i -> i.customer().equals(customer)).map(StripeIT::invoiceJson).toList());
        }
        if (path.equals("/v1/credit_notes")) {
            String invoice = param(query, "invoice");
            return list(path, CREDIT_NOTES.stream().filter(c -> c[1].equals(invoice)).map(StripeIT::creditNoteJson).toList());
        }
        if (path.equals("/v1/invoiceitems")) {
            String invoice = param(query, "invoice");
            return list(path, ITEMS.stream().filter(i -> i.invoice().equals(invoice)).map(StripeIT::itemJson).toList());
        }
        String id = path.substring("/v1/invoices/".length());
        return INVOICES.stream().filter(i -> i.id().equals(id)).map(StripeIT::invoiceJson).findFirst().orElseThrow();
    }

    /** POST: creates what Stripe would (each creation recorded in {@link #CREATED}). */
    private static String create(String path, String key, String params) {
        if (path.equals("/v1/customers")) {
            // unique over the whole run, like Stripe's (our mapping table keeps Stripe ids unique)
            String id = "cus_fake_" + CUSTOMER_SEQUENCE.incrementAndGet();
            CUSTOMERS.put(id, param(params, "metadata[voiceledger_customer]"));
            CREATED.add("customer");
            return "{\"id\":\"" + id + "\",\"object\":\"customer\"}";
        }
        if (path.equals("/v1/credit_notes")) {
            // unique over the whole run, like Stripe's (our table keeps Stripe ids unique)
            String id = "cn_fake_" + CUSTOMER_SEQUENCE.incrementAndGet();
            CREDIT_NOTES.add(new String[] {id, param(params, "invoice"), param(params, "metadata[voiceledger_credit_note_id]")});
            CREATED.add("credit_note " + param(params, "invoice") + " " + param(params, "lines[0][unit_amount]"));
            return creditNoteJson(CREDIT_NOTES.getLast());
        }
        if (path.startsWith("/v1/customers/")) {
            String id = path.substring("/v1/customers/".length());
            CREATED.add("customer-update " + id + " " + param(params, "name"));
            return "{\"id\":\"" + id + "\",\"object\":\"customer\"}";
        }
        if (path.equals("/v1/invoices")) {
            // ids follow the key, so a second invoice for the same key (a key Stripe forgot) gets a suffix
            String base = key == null ? "in_nokey" : stripeInvoiceId(key);
            long same = INVOICES.stream().filter(i -> i.id().startsWith(base)).count();
            FakeInvoice invoice = new FakeInvoice(same == 0 ? base : base + "_" + (same + 1), param(params, "customer"),
                    param(params, "metadata[voiceledger_invoice_id]"), new String[] {"draft"});
            INVOICES.add(invoice);
            CREATED.add("invoice " + invoice.id());
            return invoiceJson(invoice);
        }
        if (path.equals("/v1/invoiceitems")) {
            FakeItem item = new FakeItem("ii_" + (ITEMS.size() + 1), param(params, "invoice"),
                    param(params, "metadata[voiceledger_line]"), param(params, "amount"));
            ITEMS.add(item);
            CREATED.add("invoiceitem " + item.invoice() + " " + item.amount());
            return itemJson(item);
        }
        String id = path.split("/")[3];
        FakeInvoice invoice = INVOICES.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
        invoice.status()[0] = "open";
        CREATED.add("finalized " + id);
        return invoiceJson(invoice);
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                String params = java.net.URLDecoder.decode(body, StandardCharsets.UTF_8);
                REQUESTS.add(new Recorded(exchange.getRequestMethod(), path, key, params));
                sleepQuietly(ANSWER_DELAY_MILLIS.get());
                if (exchange.getRequestMethod().equals("GET")) {
                    String query = exchange.getRequestURI().getRawQuery() == null ? ""
                            : java.net.URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
                    respond(exchange, 200, read(path, query));
                    return;
                }
                boolean failing = SERVE_BEFORE_FAILING.get() >= 0 && SERVE_BEFORE_FAILING.getAndDecrement() == 0;
                if (failing) {
                    SERVE_BEFORE_FAILING.set(0);
                }
                if (failing && cut == Cut.ERROR_BEFORE_PROCESSING) {
                    respond(exchange, 500, "{\"error\":{\"type\":\"api_error\",\"message\":\"test outage\"}}");
                    return;
                }
                // like Stripe: a key is remembered for 24 hours, then forgotten
                String[] stored = key == null ? null : BY_KEY.get(key);
                if (stored != null && Instant.parse(stored[2]).plus(Duration.ofHours(24)).isBefore(FAKE_CLOCK.instant())) {
                    BY_KEY.remove(key);
                    stored = null;
                }
                String json;
                int status = 200;
                if (stored != null && !stored[0].equals(path + "?" + params)) {
                    // Stripe refuses a key reused with other parameters
                    status = 400;
                    json = "{\"error\":{\"type\":\"idempotency_error\",\"message\":\"Keys for idempotent requests "
                            + "can only be used with the same parameters they were first used with.\"}}";
                } else if (stored != null) {
                    json = stored[1];
                } else if (path.endsWith("/finalize") && FAIL_FINALIZE.get()) {
                    BEFORE_FINALIZE_FAILS.get().run();
                    status = 400;
                    json = "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"test failure\"}}";
                } else {
                    json = create(path, key, params);
                }
                if (status == 200 && key != null) {
                    BY_KEY.putIfAbsent(key, new String[] {path + "?" + params, json, FAKE_CLOCK.instant().toString()});
                }
                if (failing) {
                    // the work is done and remembered under its key, but the answer is lost
                    throw new IOException("test: connection dropped");
                }
                respond(exchange, status, json);
            });
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
