package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.customer.Customer;
import com.voiceledger.support.MutableClock;
import com.voiceledger.support.TestFixtures;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * An instance that claimed a batch of invoice notices and sends them to a slow receiver keeps each one it
 * sends under a lease renewed just before sending; the notices whose first lease ran out meanwhile and that
 * another instance claimed are left to that instance. Every notice reaches the customer exactly once.
 * (Before the claim token, the first instance sent the third notice again after the second had.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(MutableClock.Config.class)
class InvoiceNoticeLeaseIT {

    static final MutableClock CLOCK = MutableClock.INSTANCE;
    static final Pattern INVOICE = Pattern.compile("\"invoiceId\":(\\d+)");

    @Autowired
    TestFixtures fixtures;
    @Autowired
    SpendCaps spendCaps;
    @Autowired
    InvoiceNotices notices;
    @Autowired
    JdbcClient jdbc;

    void notice(Customer customer, long invoiceId, Instant due) {
        notice(jdbc, customer, invoiceId, due);
    }

    /** A pending invoice notice (webhook only) due at {@code due}, for an invoice id of the test's own. */
    static void notice(JdbcClient jdbc, Customer customer, long invoiceId, Instant due) {
        jdbc.sql("""
                insert into spendcap_invoice_notice (invoice_id, customer_id, payload, webhook_status, email_status,
                    next_attempt_at, created_at)
                values (:id, :customer, :payload, 'PENDING', 'NONE', :due, :due)
                """)
                .param("id", invoiceId)
                .param("customer", customer.id().value())
                .param("payload", "{\"type\":\"invoice.finalized\",\"data\":{\"invoiceId\":" + invoiceId + "}}")
                .param("due", Timestamp.from(due))
                .update();
    }

    @Test
    void aNoticeWhoseLeaseRanOutWhileItsBatchWaitedOnASlowReceiverIsSentOnceByTheInstanceThatClaimedItNext()
            throws Exception {
        Instant start = Instant.parse("2026-11-02T10:00:00Z");
        CLOCK.set(start);
        Customer customer = fixtures.customer("notice-lease-" + System.nanoTime());
        long base = 9_000_000_000L + (System.nanoTime() % 1_000_000) * 10;
        long first = base + 1;
        long second = base + 2;
        long third = base + 3;
        Map<Long, CountDownLatch> held = new ConcurrentHashMap<>(Map.of(first, new CountDownLatch(1),
                second, new CountDownLatch(1)));
        Map<Long, CountDownLatch> arrived = Map.of(first, new CountDownLatch(1), second, new CountDownLatch(1),
                third, new CountDownLatch(1));
        List<Long> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/hooks", exchange -> {
            Matcher id = INVOICE.matcher(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            long invoice = id.find() ? Long.parseLong(id.group(1)) : -1;
            received.add(invoice);
            arrived.getOrDefault(invoice, new CountDownLatch(0)).countDown();
            try {
                CountDownLatch release = held.get(invoice);
                if (release != null) {
                    release.await(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        ExecutorService instances = Executors.newFixedThreadPool(2);
        try {
            spendCaps.setAlertWebhook(customer, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
            notice(customer, first, start.minusSeconds(3));
            notice(customer, second, start.minusSeconds(2));
            notice(customer, third, start.minusSeconds(1));

            // instance A claims all three at 10:00 and is held by the receiver on the first
            Future<?> a = instances.submit(notices::deliverDue);
            assertThat(arrived.get(first).await(20, TimeUnit.SECONDS)).isTrue();
            CLOCK.set(start.plusSeconds(60));
            held.remove(first).countDown();
            // A renews the second's lease at 10:01 (until 10:03) and is held on it
            assertThat(arrived.get(second).await(20, TimeUnit.SECONDS)).isTrue();
            // 10:02:30: the third's first lease (until 10:02) ran out; instance B claims it and sends it
            CLOCK.set(start.plusSeconds(150));
            instances.submit(notices::deliverDue).get(20, TimeUnit.SECONDS);
            assertThat(received).as("B sent the third, not the second whose lease A renewed").containsExactly(first,
                    second, third);
            held.remove(second).countDown();
            a.get(20, TimeUnit.SECONDS);

            assertThat(received).as("each notice once").containsExactlyInAnyOrder(first, second, third);
            for (long invoice : List.of(first, second, third)) {
                assertThat(notices.status(invoice)).isEqualTo("DELIVERED/NONE");
            }
        } finally {
            held.values().forEach(CountDownLatch::countDown);
            instances.shutdownNow();
            receiver.stop(0);
            jdbc.sql("delete from spendcap_invoice_notice where invoice_id between :from and :to")
                    .param("from", first).param("to", third).update();
        }
    }
}
