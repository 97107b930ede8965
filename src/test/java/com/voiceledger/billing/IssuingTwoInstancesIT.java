package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.VoiceLedgerApplication;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.spendcap.InvoiceNotices;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.support.Http;
import com.voiceledger.support.MutableClock;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Two application instances on one PostgreSQL (this test's context and a second one it starts, sharing
 * the clock) tick, finalize and announce at the same moments: every invoice is drafted once,
 * finalized once (one number, one Stripe push queued, one set of ledger entries) and announced to
 * the customer's webhook exactly once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(MutableClock.Config.class)
class IssuingTwoInstancesIT {

    static final int CUSTOMERS = 6;
    static ConfigurableApplicationContext other;

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    InvoiceIssuing issuing;
    @Autowired
    InvoiceNotices notices;
    @Autowired
    InvoiceService invoices;
    @Autowired
    SpendCaps spendCaps;
    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void startTheOtherInstance() {
        other = new SpringApplicationBuilder(VoiceLedgerApplication.class, MutableClock.Config.class)
                .profiles("test").properties("server.port=0").run();
    }

    @AfterAll
    static void stopTheOtherInstance() {
        if (other != null) {
            other.close();
        }
    }

    @Test
    void eachInvoiceIsFinalizedQueuedForStripeAndAnnouncedOnceWhenTwoInstancesTickTogether() throws Exception {
        MutableClock.INSTANCE.set("2026-10-05T00:00:00Z");
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            List<CustomerId> ids = new ArrayList<>();
            for (int i = 0; i < CUSTOMERS; i++) {
                Customer customer = customer();
                spendCaps.setAlertWebhook(customer, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
                ids.add(customer.id());
            }
            MutableClock.INSTANCE.set("2026-11-01T00:00:01Z"); // October ended

            InvoiceIssuing otherIssuing = other.getBean(InvoiceIssuing.class);
            InvoiceNotices otherNotices = other.getBean(InvoiceNotices.class);
            List<InvoiceIssuing.Tick> ticks = together(() -> issuing.tick(ids), () -> otherIssuing.tick(ids),
                    () -> issuing.tick(ids), () -> otherIssuing.tick(ids));
            assertThat(ticks.stream().mapToInt(InvoiceIssuing.Tick::drafted).sum()).isEqualTo(CUSTOMERS);
            MutableClock.INSTANCE.set("2026-11-02T00:00:02Z"); // and its 24 h grace from the drafts too
            ticks = together(() -> issuing.tick(ids), () -> otherIssuing.tick(ids),
                    () -> issuing.tick(ids), () -> otherIssuing.tick(ids));
            assertThat(ticks.stream().mapToInt(InvoiceIssuing.Tick::drafted).sum()).isZero();
            assertThat(ticks.stream().mapToInt(InvoiceIssuing.Tick::finalized).sum()).isEqualTo(CUSTOMERS);
            together(() -> notices.deliverDue(), () -> otherNotices.deliverDue(), () -> notices.deliverDue(),
                    () -> otherNotices.deliverDue());

            List<Long> invoiceIds = new ArrayList<>();
            for (CustomerId id : ids) {
                Invoice invoice = invoices.invoices(id).getFirst();
                assertThat(invoices.invoices(id)).hasSize(1);
                assertThat(invoice.status()).isEqualTo(Invoice.FINALIZED);
                assertThat(invoice.total()).isEqualByComparingTo("0.32");
                invoiceIds.add(invoice.id());
            }
            assertThat(count("select count(*) from stripe_invoice_push where invoice_id in (:ids)", invoiceIds))
                    .isEqualTo(CUSTOMERS);
            assertThat(count("select count(*) from billing_invoice_line where invoice_id in (:ids)", invoiceIds))
                    .isEqualTo(CUSTOMERS);
            List<Long> announced = new ArrayList<>();
            for (String body : received) {
                Matcher invoice = Pattern.compile("\"invoiceId\":(\\d+)").matcher(body);
                assertThat(invoice.find()).as(body).isTrue();
                announced.add(Long.parseLong(invoice.group(1)));
            }
            assertThat(announced).containsExactlyInAnyOrderElementsOf(invoiceIds);
        } finally {
            receiver.stop(0);
        }
    }

    private long count(String sql, List<Long> ids) {
        return jdbc.sql(sql).param("ids", ids).query(Long.class).single();
    }

    /** Runs the actions at the same moment on their own threads, and returns their results in order. */
    @SafeVarargs
    private static <T> List<T> together(Callable<T>... actions) throws Exception {
        CyclicBarrier start = new CyclicBarrier(actions.length);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(actions.length)) {
            for (Callable<T> action : actions) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return action.call();
                }));
            }
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    private static List<Object> together(Runnable... actions) throws Exception {
        Callable<?>[] callables = new Callable<?>[actions.length];
        for (int i = 0; i < actions.length; i++) {
            Runnable action = actions[i];
            callables[i] = () -> {
                action.run();
                return null;
            };
        }
        @SuppressWarnings("unchecked")
        List<Object> results = together((Callable<Object>[]) callables);
        return results;
    }

    private Customer customer() {
        Samples samples = Samples.fresh();
        Customer customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Two instances", "USD", "UTC"));
        Http http = new Http(port);
        Http.Response contract = http.post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "2026-10-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "billingIncrementSeconds": 1, "reason": "two instances"}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
        Instant start = Instant.parse("2026-10-10T12:00:00Z");
        Http.Response call = http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR)
                        .replace("2026-11-03T14:05:12.100Z", start.toString())
                        .replace("2026-11-03T14:08:24.100Z", start.plusSeconds(192).toString()))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(call.status()).as(call.toString()).isEqualTo(200);
        return customer;
    }
}
