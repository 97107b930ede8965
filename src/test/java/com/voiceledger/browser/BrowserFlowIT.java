package com.voiceledger.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserService;
import com.voiceledger.support.Chromium;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A person in a real (headless, Debian) Chromium: a customer signs in, sees the dashboard's charts
 * (light and dark), opens a call, drills from an invoice line to the call behind it; finance opens
 * the console, publishes a rate card version and closes a month. Screenshots land in
 * target/screenshots for a human to look at.
 */
@IntegrationTest
class BrowserFlowIT {

    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
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
    @Autowired
    InvoiceService invoices;
    @Autowired
    BillingRuns billingRuns;
    @Autowired
    RateCardService rateCard;
    @Autowired
    Clock clock;
    @Autowired
    com.voiceledger.billing.InvoiceIssuing issuing;
    @Autowired
    com.voiceledger.customer.CustomerService customerService;

    @BeforeAll
    static void startBrowser() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    Page signIn(String username, String password) {
        return signIn(username, password, ColorScheme.LIGHT);
    }

    Page signIn(String username, String password, ColorScheme scheme) {
        Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)
                .setColorScheme(scheme)).newPage();
        page.setDefaultTimeout(30_000);
        page.navigate("http://localhost:" + port + "/login");
        Chromium.submitLogin(page, username, password);
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

        // an address that leads nowhere: the app's own page, in its layout (its header), with a way back
        page.navigate("http://localhost:" + port + "/nonexistent");
        page.getByText("Page not found").waitFor();
        assertThat(page.getByText("Sign out").isVisible()).isTrue();
        page.getByText("Back to the dashboard").click();
        page.waitForURL("**/dashboard");
    }

    @Test
    void chartsFollowTheOperatingSystemsDarkSchemeAndTheUsersOwnChoice() {
        Samples samples = Samples.fresh().onDay(LocalDate.now(clock));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        users.create("dark-" + suffix, "Dee Dark", "password-123", Role.CUSTOMER_VIEWER, acme.id());
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));

        Page page = signIn("dark-" + suffix, "password-123", ColorScheme.DARK);
        page.waitForURL("**/dashboard");
        page.locator("vl-chart .apexcharts-canvas.apexcharts-theme-dark").first().waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("customer-dashboard-dark.png")));

        // the user's choice wins over the system's: system → light
        page.getByText("Theme: system").click();
        page.getByText("Theme: light").waitFor();
        page.locator("vl-chart .apexcharts-canvas.apexcharts-theme-light").first().waitFor();
        assertThat(page.locator("vl-chart .apexcharts-theme-dark").count()).isZero();
    }

    @Test
    void aCustomerOpensAnInvoiceLineAndDrillsDownToTheCallBehindIt() {
        YearMonth month = YearMonth.of(2003, 4);
        Samples samples = Samples.fresh().onDay(month.atDay(10));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        rateCard.versionAt(month.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()).ifPresentOrElse(
                version -> { }, () -> rateCard.publish(new com.voiceledger.ratecard.NewRateCardVersion(
                        month.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), "USD", "browser invoice test",
                        java.util.stream.Stream.concat(java.util.stream.Stream.of(new com.voiceledger.ratecard.RateEntry(
                                "platform", "vapi", "*", "minute", new java.math.BigDecimal("0.05"))),
                                com.voiceledger.support.FreeRates.entries("platform").stream()).toList()), "test"));
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        users.create("inv-" + suffix, "Ivy Invoice", "password-123", Role.CUSTOMER_VIEWER, acme.id());
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));
        long invoice = invoices.close(acme, month).invoice().id();

        Page page = signIn("inv-" + suffix, "password-123");
        page.waitForURL("**/dashboard");
        page.navigate("http://localhost:" + port + "/invoices");
        page.locator("vaadin-grid").getByText(month.toString()).click();
        page.waitForURL("**/invoices/" + invoice);
        page.locator("vaadin-grid").getByText("usage", new com.microsoft.playwright.Locator.GetByTextOptions()
                .setExact(true)).first().click();
        page.getByText("See these calls").first().click();
        page.waitForURL("**/calls?**");
        page.locator("vaadin-grid").getByText("customer-ended-call").click();
        page.waitForURL("**/calls/" + samples.id(Samples.MAIN_CALL_ID));
        page.getByText("Cost components").waitFor();
    }

    @Test
    void financePublishesARateVersionAndClosesAMonth() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        YearMonth lastMonth = YearMonth.now(clock).minusMonths(1);
        Samples samples = Samples.fresh().onDay(lastMonth.atDay(5));
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));
        users.create("pub-" + suffix, "Pat Publisher", "password-123", Role.FINANCE_ADMIN, null);
        if (rateCard.versions().isEmpty()) {
            // the editor starts from the latest version: make sure there is one, far from other tests' dates
            rateCard.publish(new com.voiceledger.ratecard.NewRateCardVersion(java.time.Instant.parse(
                    "2070-01-01T00:00:00Z"), "USD", "base for the browser test", List.of(
                    new com.voiceledger.ratecard.RateEntry("platform", "vapi", "*", "minute",
                            new java.math.BigDecimal("0.05")))), "test");
        }
        Page page = signIn("pub-" + suffix, "password-123");
        page.waitForURL("**/admin/overview");

        // a version far in the future, so no other test's prices move
        page.navigate("http://localhost:" + port + "/admin/rate-card");
        page.getByText("New version from this one").click();
        page.getByLabel("Unit price").first().fill("0.0000031");
        page.getByLabel("Reason (for the audit log)").fill("browser test " + suffix);
        page.locator("vaadin-date-time-picker vaadin-date-picker input").fill("1/1/2071");
        page.locator("vaadin-date-time-picker vaadin-date-picker input").press("Enter");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish")).click();
        // success or a refusal, whichever the notification says, so a failure reads as the app's own words
        page.locator("vaadin-notification-card").first().waitFor();
        assertThat(page.locator("vaadin-notification-card").first().textContent()).startsWith("Published v");
        assertThat(rateCard.versions().getLast().reason()).isEqualTo("browser test " + suffix);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("finance-rate-card.png")));

        page.navigate("http://localhost:" + port + "/admin/billing");
        page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Customer (empty: all)")).fill(acme.name());
        page.locator("vaadin-combo-box-item").getByText(acme.name()).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close month")).click();
        page.getByText("Closing " + lastMonth).waitFor();
        billingRuns.runQueued();
        page.getByText("1 closed, 0 failed of 1").first().waitFor();
        assertThat(invoices.invoices(acme.id())).singleElement()
                .satisfies(invoice -> assertThat(invoice.month()).isEqualTo(lastMonth));
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("finance-billing.png")));
    }

    @Test
    void financeExtendsACustomersGraceAndTheCustomerSeesItsDraftWithWhenItFinalizesInItsZone() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        java.time.ZoneId kiritimati = java.time.ZoneId.of("Pacific/Kiritimati");
        YearMonth lastMonth = YearMonth.now(clock.withZone(kiritimati)).minusMonths(1);
        Samples samples = Samples.fresh().onDay(lastMonth.atDay(5));
        Customer customer = customerService.create(com.voiceledger.customer.NewCustomer.parse(
                samples.id(Samples.ACME), "Grace " + suffix, "USD", "Pacific/Kiritimati"));
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));
        // a long grace, so that last month is still a draft whatever today's date
        issuing.setGracePeriod(customer, java.time.Duration.ofDays(45), "browser test", "test");
        issuing.tick(List.of(customer.id()));
        com.voiceledger.billing.Invoice draft = invoices.invoices(customer.id()).getFirst();
        assertThat(draft.status()).isEqualTo("DRAFT");
        users.create("gfin-" + suffix, "Gil Finance", "password-123", Role.FINANCE_ADMIN, null);
        users.create("gcus-" + suffix, "Gus Customer", "password-123", Role.CUSTOMER_VIEWER, customer.id());

        Page finance = signIn("gfin-" + suffix, "password-123");
        finance.waitForURL("**/admin/overview");
        finance.navigate("http://localhost:" + port + "/admin/customers/" + customer.externalId());
        finance.getByText("Billing calendar").waitFor();
        finance.getByText("Grace period 45 days (this customer's)").waitFor();
        finance.getByLabel("Reason (for the audit log)").fill("customer asked for time to check usage");
        finance.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Extend grace by a day")).click();
        finance.getByText("Grace period 46 days (this customer's)").waitFor();
        finance.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("finance-billing-calendar.png"))
                .setFullPage(true));
        java.time.Instant finalizesAt = invoices.invoices(customer.id()).getFirst().finalizesAt();
        assertThat(finalizesAt).isEqualTo(draft.finalizesAt().plus(java.time.Duration.ofDays(1)));

        Page page = signIn("gcus-" + suffix, "password-123");
        page.waitForURL("**/dashboard");
        page.navigate("http://localhost:" + port + "/invoices");
        String when = com.voiceledger.ui.Formats.instant(finalizesAt, kiritimati);
        page.locator("vaadin-grid").getByText("draft, finalizes " + when + " Pacific/Kiritimati").waitFor();
        page.locator("vaadin-grid").getByText(lastMonth.toString()).click();
        page.waitForURL("**/invoices/" + draft.id());
        page.getByText("Draft invoice, " + lastMonth).waitFor();
        assertThat(page.locator(".vl-draft-note").textContent())
                .contains("It is finalized on " + when + " (Pacific/Kiritimati)");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("customer-draft-invoice.png"))
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
