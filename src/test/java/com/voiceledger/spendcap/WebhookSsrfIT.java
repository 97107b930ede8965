package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.customer.Customer;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserService;
import com.voiceledger.support.Browserless;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Signatures;
import com.voiceledger.support.TestFixtures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A customer admin points its alert webhook at what only the server can reach (the cloud metadata
 * service, loopback, private networks), or at a name that later resolves there. The server refuses
 * such targets when the URL is saved and again at every delivery, and tells the customer what
 * happened in general words, never with exception text.
 */
@IntegrationTest
class WebhookSsrfIT {

    private static final Map<String, String> JSON_WRITE = Map.of("X-Requested-With", "XMLHttpRequest");

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    UserService users;
    @Autowired
    SpendCaps spendCaps;
    @Autowired
    Alerts alerts;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Clock clock;

    Customer customer;
    Browserless admin;

    @BeforeEach
    void setUp() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        customer = fixtures.customer("ssrf-" + suffix);
        users.create("ssrf-" + suffix, "Sid", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        admin = new Browserless(port);
        assertThat(Browserless.signedIn(admin.signIn("ssrf-" + suffix, "password-123"))).isTrue();
    }

    @Test
    void internalTargetsAreRefusedWhenTheUrlIsSaved() {
        List<String> internal = List.of("https://169.254.169.254/latest/meta-data/iam/", "http://127.0.0.2:" + port + "/x",
                "https://10.0.0.5/hook", "https://192.168.1.10/hook", "https://172.16.0.1/hook", "https://[::1]/hook",
                "https://[fd00::5]/hook", "https://[fe80::1]/hook", "https://0.0.0.0/hook", "https://100.64.0.1/hook",
                "https://[::ffff:169.254.169.254]/hook");
        for (String url : internal) {
            Browserless.Answer answer = admin.send("PUT", "/api/v1/alerts/webhook", JSON_WRITE, "application/json",
                    "{\"url\": \"" + url + "\"}");
            assertThat(answer.status()).as("%s: %s", url, answer).isEqualTo(400);
        }
    }

    @Test
    void theSameRequestWithAnAllowedUrlIsSavedAndItsAlertsArriveSigned() throws Exception {
        // the positive control of the refusals above: the same session, the same request, a receiver the
        // test configuration allows (voiceledger.alerts.allowed-webhook-hosts=127.0.0.1), over HTTP
        List<String[]> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String[] {exchange.getRequestHeaders().getFirst("X-VoiceLedger-Signature"),
                    new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Browserless.Answer saved = admin.send("PUT", "/api/v1/alerts/webhook", JSON_WRITE, "application/json",
                    "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}");
            assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
            String secret = tools.jackson.databind.json.JsonMapper.builder().build().readTree(saved.body())
                    .path("secret").asString();
            assertThat(secret).isNotBlank();
            alerts.raise(customer.id(), YearMonth.now(clock), "SPEND_CAP", 50, "half the cap");

            alerts.deliverDue();

            assertThat(received).singleElement().satisfies(delivery -> {
                String[] parts = delivery[0].split(",");
                long timestamp = Long.parseLong(parts[0].substring(2));
                assertThat(parts[1]).isEqualTo("v1=" + Signatures.outbound(secret, timestamp, delivery[1]));
                assertThat(delivery[1]).contains("half the cap");
            });
            assertThat(alerts.of(customer.id(), 10).getFirst().deliveryStatus()).isEqualTo("DELIVERED");
        } finally {
            receiver.stop(0);
        }
        // and a public address passes the policy that allows no exceptions (checked without a request)
        OutboundUrlPolicy noExceptions = new OutboundUrlPolicy(false, List.of());
        assertThat(noExceptions.check("https://93.184.215.14/hook")).hasToString("https://93.184.215.14/hook");
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefused() {
        OutboundUrlPolicy noExceptions = new OutboundUrlPolicy(false, List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> noExceptions.check("https://localhost/hook"))
                .hasMessageContaining("private or internal");
        // the positive control: the same policy lets a public address through
        assertThat(noExceptions.check("https://93.184.215.14/hook")).hasToString("https://93.184.215.14/hook");
        assertThat(OutboundUrlPolicy.internal(InetAddress.getLoopbackAddress())).isTrue();
    }

    @Test
    void aTargetThatTurnedInternalAfterSavingIsNotCalledAtDelivery() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer internalService = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
        internalService.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().toString());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        internalService.start();
        try {
            int servicePort = internalService.getAddress().getPort();
            spendCaps.setAlertWebhook(customer, "http://127.0.0.1:" + servicePort + "/allowed");
            // while the name still answers with the allowed address, alerts arrive (the positive control)
            alerts.raise(customer.id(), YearMonth.now(clock), "SPEND_CAP", 25, "a quarter of the cap");
            alerts.deliverDue();
            assertThat(received).containsExactly("/allowed");
            // the customer's DNS now answers with another loopback address: saved, never re-checked before
            jdbc.sql("update spendcap_setting set alert_webhook_url = :url where customer_id = :id")
                    .param("url", "http://127.0.0.2:" + servicePort + "/internal").param("id", customer.id().value())
                    .update();
            alerts.raise(customer.id(), YearMonth.now(clock), "SPEND_CAP", 50, "half the cap");

            alerts.deliverDue();

            assertThat(received).as("requests that reached the internal service").containsExactly("/allowed");
            Alert alert = alerts.of(customer.id(), 10).stream().filter(a -> a.threshold() == 50).findFirst()
                    .orElseThrow();
            assertThat(alert.deliveryError()).startsWith("not sent:").contains("private or internal");
        } finally {
            internalService.stop(0);
        }
    }

    @Test
    void aFailedDeliveryShowsTheCustomerAGeneralErrorNotTheExceptionText() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        spendCaps.setAlertWebhook(customer, "http://127.0.0.1:" + closedPort + "/gone");
        alerts.raise(customer.id(), YearMonth.now(clock), "SPEND_CAP", 80, "most of the cap");

        alerts.deliverDue();

        String shown = admin.get("/api/v1/alerts").body();
        assertThat(shown).contains("could not connect").doesNotContain("Exception").doesNotContain("127.0.0.1");
    }
}
