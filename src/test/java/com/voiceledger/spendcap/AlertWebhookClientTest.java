package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A delivery connects to the addresses its URL was checked with, never to a second DNS answer (issue #25, the
 * DNS-rebinding gap; decision 0083). The names below are answered by a resolver the test controls, the way a
 * hostile DNS server would answer: a public address to the check, then loopback, where a receiver listens as the
 * internal service would. Each rebinding test went red when the connection's resolver asked DNS again.
 */
class AlertWebhookClientTest {

    HttpServer receiver;
    final List<String> received = new CopyOnWriteArrayList<>();
    final AtomicInteger lookups = new AtomicInteger();
    volatile int answer = 204;

    @BeforeEach
    void listenOnLoopback() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("X-Test-Signature") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (answer == 302) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/elsewhere");
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    int port() {
        return receiver.getAddress().getPort();
    }

    /** Answers the first lookup with {@code first}, every later one with {@code later}. */
    OutboundUrlPolicy.HostResolver rebinding(String first, String later) {
        return host -> {
            String address = lookups.getAndIncrement() == 0 ? first : later;
            return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress())};
        };
    }

    AlertWebhookClient client(List<String> exempt, OutboundUrlPolicy.HostResolver resolver) {
        return new AlertWebhookClient(new OutboundUrlPolicy(true, exempt, resolver), Duration.ofMillis(700));
    }

    @Test
    void aNameThatAnswersPublicToTheCheckAndLoopbackAfterwardsNeverReachesLoopback() {
        AlertWebhookClient client = client(List.of(), rebinding("8.8.8.8", "127.0.0.1"));

        String error = client.post("http://hooks.rebind.test:" + port() + "/hook", Map.of(), "{}");

        assertThat(received).as("the internal receiver behind the second answer").isEmpty();
        assertThat(error).isIn("could not connect", "no answer in time");
        assertThat(lookups).as("the name is asked once per delivery").hasValue(1);
    }

    @Test
    void theConnectionGoesToTheCheckedAddressEvenWhenTheNameLaterAnswersElsewhere() {
        // exempt from the address check (as tests and a demo receiver are), still pinned to what was resolved
        AlertWebhookClient client = client(List.of("hooks.rebind.test"), rebinding("127.0.0.1", "127.0.0.2"));

        String error = client.post("http://hooks.rebind.test:" + port() + "/hook",
                Map.of("X-Test-Signature", "t=1,v1=ab"), "{\"kind\":\"cap\"}");

        assertThat(error).isNull();
        assertThat(received).containsExactly("POST /hook t=1,v1=ab {\"kind\":\"cap\"}");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aNameThatResolvesInsideIsNotSentAtAll() {
        AlertWebhookClient client = client(List.of(), rebinding("127.0.0.1", "127.0.0.1"));

        String error = client.post("http://hooks.rebind.test:" + port() + "/hook", Map.of(), "{}");

        assertThat(error).startsWith("not sent: ").contains("private or internal");
        assertThat(received).isEmpty();
    }

    @Test
    void aRedirectIsAnsweredNotFollowed() {
        answer = 302;
        AlertWebhookClient client = client(List.of("localhost"), host -> InetAddress.getAllByName("127.0.0.1"));

        String error = client.post("http://localhost:" + port() + "/hook", Map.of(), "{}");

        assertThat(error).isEqualTo("answered 302");
        assertThat(received).hasSize(1);
    }

    @Test
    void aReceiverThatAnswersAnErrorIsReportedByItsStatus() {
        answer = 500;
        AlertWebhookClient client = client(List.of("localhost"), host -> InetAddress.getAllByName("127.0.0.1"));

        assertThat(client.post("http://localhost:" + port() + "/hook", Map.of(), "{}")).isEqualTo("answered 500");
    }

    @Test
    void aNameThatDoesNotResolveIsNotSent() {
        AlertWebhookClient client = client(List.of(), host -> {
            throw new UnknownHostException(host);
        });

        assertThat(client.post("https://nowhere.invalid/hook", Map.of(), "{}"))
                .isEqualTo("not sent: the webhook host 'nowhere.invalid' does not resolve");
    }
}
