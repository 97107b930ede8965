package com.voiceledger.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserService;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A person in a real (headless, Debian) Chromium: signs in, sees calls, opens one; finance opens
 * the console. Screenshots land in target/screenshots for a human to look at.
 */
@IntegrationTest
class BrowserFlowIT {

    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    static Playwright playwright;
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
    static void startBrowser() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (installed by .ci/run)").exists();
        Files.createDirectories(SCREENSHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    Page signIn(String username, String password) {
        Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
        page.setDefaultTimeout(30_000);
        page.navigate("http://localhost:" + port + "/login");
        page.locator("vaadin-login-form input[name=username]").fill(username);
        page.locator("vaadin-login-form input[name=password]").fill(password);
        page.locator("vaadin-login-form vaadin-button[slot=submit]").click();
        return page;
    }

    @Test
    void aCustomerSignsInSeesItsCallsAndOpensOne() {
        Samples samples = Samples.fresh();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        users.create("browser-" + suffix, "Bea Browser", "password-123", Role.CUSTOMER_ADMIN, acme.id());
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));

        Page page = signIn("browser-" + suffix, "password-123");
        page.waitForURL("**/dashboard");
        page.getByText("Daily spend by layer").waitFor();
        // ApexCharts really drew in the browser: its SVG inside our wrapper element
        page.locator("vl-chart svg.apexcharts-svg").first().waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("customer-dashboard.png")));
        page.navigate("http://localhost:" + port + "/calls");
        page.locator("vaadin-grid").getByText("customer-ended-call").waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("customer-calls.png")).setFullPage(true));

        page.locator("vaadin-grid").getByText("customer-ended-call").click();
        page.waitForURL("**/calls/" + samples.id(Samples.MAIN_CALL_ID));
        page.getByText("Cost components").waitFor();
        assertThat(page.locator("vaadin-grid.vl-components")
                .getByText("cached_prompt_token", new com.microsoft.playwright.Locator.GetByTextOptions().setExact(true))
                .isVisible()).isTrue();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("customer-call-detail.png"))
                .setFullPage(true));
    }

    @Test
    void aWrongPasswordShowsAnErrorAndNoData() {
        Page page = signIn("nobody", "wrong-password");
        page.waitForURL("**/login?error");
        assertThat(page.locator("vaadin-login-form").getAttribute("error")).isNotNull();
    }

    @Test
    void financeOpensTheCustomersConsole() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        users.create("fin-" + suffix, "Fay Finance", "password-123", Role.FINANCE_ADMIN, null);
        Page page = signIn("fin-" + suffix, "password-123");
        page.waitForURL("**/admin/overview");
        page.getByText("Needs a person").waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("finance-overview.png")));
        page.navigate("http://localhost:" + port + "/admin/customers");
        page.getByText("Create customer").waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("finance-customers.png")));
    }
}
