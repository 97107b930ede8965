package com.voiceledger.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import com.voiceledger.customer.Customer;
import com.voiceledger.support.Http;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TcpProxy;
import com.voiceledger.support.TestFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The database goes away while the platform is posting reports, and comes back. In a context of its
 * own, the application reaches PostgreSQL through a {@link TcpProxy} that the test cuts for a few
 * seconds: every delivery is answered 200 (stored) or 503 with a JSON error (not stored, send again),
 * never a 500 or a stack trace; the application recovers by itself; every 200'd report is stored
 * exactly once, and once the 503'd ones are sent again, all are.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.connection-timeout=1000")
@ActiveProfiles("test")
@Import(DatabaseOutageIT.ThroughProxy.class)
class DatabaseOutageIT {

    static volatile TcpProxy proxy;

    /** Points the application's pool at a proxy in front of the embedded PostgreSQL. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ThroughProxy {

        @Bean
        static BeanPostProcessor databaseThroughProxy() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessBeforeInitialization(Object bean, String name) {
                    if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
                        Matcher port = Pattern.compile("//[^:/]+:(\\d+)/").matcher(pool.getJdbcUrl());
                        if (port.find()) {
                            proxy = new TcpProxy(Integer.parseInt(port.group(1)));
                            pool.setJdbcUrl(pool.getJdbcUrl().replace(":" + port.group(1) + "/", ":" + proxy.port() + "/"));
                            pool.setPoolName("voiceledger-through-proxy");
                            pool.setMaximumPoolSize(8);
                        }
                    }
                    return bean;
                }
            };
        }
    }

    record Delivery(String callId, String body, long sentAtMillis) {
    }

    record Outcome(Delivery delivery, int status, String body) {
    }

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;

    @Test
    void whileTheDatabaseIsAwayWebhooksAre503AndEveryAcceptedReportIsStoredExactlyOnce() throws Exception {
        Http http = new Http(port);
        Samples samples = Samples.fresh();
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        String report = samples.text(Samples.EOCR);
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        long start = System.currentTimeMillis();
        long[] cutAt = new long[2];

        try (ExecutorService senders = Executors.newFixedThreadPool(3)) {
            for (int i = 0; i < 3; i++) {
                senders.submit(() -> {
                    while (sending.get()) {
                        String callId = UUID.randomUUID().toString();
                        Delivery delivery = new Delivery(callId, report.replace(samples.id(Samples.MAIN_CALL_ID), callId),
                                System.currentTimeMillis() - start);
                        Http.Response answer = send(http, delivery);
                        outcomes.add(new Outcome(delivery, answer.status(), answer.body()));
                    }
                    return null;
                });
            }
            Thread.sleep(800);
            cutAt[0] = System.currentTimeMillis() - start;
            proxy.cut();
            Thread.sleep(2_500);
            proxy.restore();
            cutAt[1] = System.currentTimeMillis() - start;
            Thread.sleep(2_000);
            sending.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        List<String> wrong = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.status() != 200 && outcome.status() != 503) {
                wrong.add(outcome.status() + " " + outcome.body());
            }
            if (outcome.body().contains("Exception") || outcome.body().contains("\tat ")) {
                wrong.add("a stack trace: " + outcome.body());
            }
            if (outcome.status() == 503 && !Http.parse(outcome.body()).path("error").asString("").contains("database")) {
                wrong.add("a 503 without a clear error: " + outcome.body());
            }
        }
        assertThat(wrong).as("answers other than 200 or a clear 503").isEmpty();
        List<Outcome> refused = outcomes.stream().filter(o -> o.status() == 503).toList();
        List<Outcome> stored = outcomes.stream().filter(o -> o.status() == 200).toList();
        assertThat(refused).as("503s while the database was away (cut from %d to %d ms)", cutAt[0], cutAt[1])
                .isNotEmpty();
        assertThat(stored).as("reports stored after the database came back, without a restart")
                .anyMatch(o -> o.delivery().sentAtMillis() > cutAt[1] + 500);

        // every 200 is there, once, with all its components
        for (Outcome outcome : stored) {
            assertThat(componentsOf(outcome.delivery().callId())).as(outcome.delivery().callId()).isEqualTo(9);
        }
        // what was refused is sent again, as a careful sender would: now everything is there exactly once
        for (Outcome outcome : refused) {
            Http.Response again = send(http, outcome.delivery());
            assertThat(again.status()).as(again.toString()).isEqualTo(200);
        }
        long calls = jdbc.sql("select count(*) from usage_call where customer_id = :customer")
                .param("customer", customer.id().value()).query(Long.class).single();
        assertThat(calls).isEqualTo(outcomes.size());
        for (Outcome outcome : outcomes) {
            assertThat(componentsOf(outcome.delivery().callId())).isEqualTo(9);
        }
    }

    private long componentsOf(String callId) {
        return jdbc.sql("select coalesce(sum(jsonb_array_length(components)), 0) from usage_call where id = :id").param("id", callId)
                .query(Long.class).single();
    }

    private static Http.Response send(Http http, Delivery delivery) {
        return http.post("/webhooks/vapi", "application/json", delivery.body())
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
    }
}
