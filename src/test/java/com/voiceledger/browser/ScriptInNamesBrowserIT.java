package com.voiceledger.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserService;
import com.voiceledger.support.Chromium;
import com.voiceledger.support.FreeRates;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.support.Samples;
import com.voiceledger.usage.ResourceNames;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Stored script in names (issue 25, item 1): a customer admin names an assistant and a phone number with
 * markup, the platform's webhook brings a model name and an assistant id with markup, and a customer is
 * named with markup. A customer and finance open every page with charts, hover every bar, slice and legend
 * entry (tooltips and legends are where ApexCharts writes HTML), and no planted markup ever runs: the
 * markup would fetch {@code /xss-hit/…} (and its {@code <img src=x>} load {@code /x}), which the browser
 * context records. A control plants the same markup through innerHTML to show the detector sees it run.
 */
@IntegrationTest
class ScriptInNamesBrowserIT {

    static Chromium chromium;
    static Browser browser;

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    UserService users;
    @Autowired
    VapiIngest ingest;
    @Autowired
    ResourceNames names;
    @Autowired
    Clock clock;
    @Autowired
    ContractService contracts;
    @Autowired
    com.voiceledger.spendcap.AssistantBudgets budgets;

    String suffix;
    Customer acme;
    Samples samples;

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

    /** Markup that, if it ever becomes HTML, asks the server for /xss-hit/{where} (and /x). */
    static String payload(String where) {
        return "<img src=x onerror=fetch('/xss-hit/" + where + "')><svg onload=fetch('/xss-hit/" + where + "-svg')>";
    }

    @BeforeEach
    void plantMarkupInEveryName() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        samples = Samples.fresh().onDay(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        acme = customers.create(NewCustomer.parse(samples.id(Samples.ACME), payload("customer-name"), "USD", "UTC"));
        // the customer's own prices for every component (no global rate card to disturb): its calls have spend
        // by assistant and by model to chart
        YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        List<RateEntry> prices = FreeRates.entries().stream().map(entry -> new RateEntry(entry.layer(),
                entry.provider(), entry.model(), entry.unit(), new BigDecimal("0.001"))).toList();
        contracts.add(acme, month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC), null,
                new ContractTerms(PricingModel.RATE_CARD, Map.of(), prices, null, BigDecimal.ZERO,
                        60, BigDecimal.ZERO, null, BigDecimal.ONE, null), "script in names", "test");
        String report = samples.text(Samples.EOCR)
                .replace("\"gpt-4o\"", "\"" + payload("model") + "\"")
                .replace("\"eleven_flash_v2_5\"", "\"" + payload("voice-model") + "\"");
        assertThat(ingest.ingest("vapi", "application/json", Map.of(), report.getBytes(StandardCharsets.UTF_8))
                .failed()).as("the report with markup in its model names is ingested").isFalse();
        String assistant = samples.id("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13");
        names.rename(acme.id(), ResourceNames.Kind.ASSISTANT, assistant, payload("assistant-name"), "attacker");
        // the dashboard's budget burn-down names the assistant beside its chart (issue #29)
        budgets.set(acme, assistant, new BigDecimal("5.00"), null, "test");
        names.rename(acme.id(), ResourceNames.Kind.PHONE_NUMBER, samples.id("p7d3a9b1-2c4e-4f6a-8b0d-1e3f5a7c9b25"),
                payload("phone-name"), "attacker");
        // a second assistant known only by the id the platform sent: the id itself carries markup
        String report2 = Samples.fresh().onDay(LocalDate.now(clock.withZone(ZoneOffset.UTC))).text(Samples.EOCR)
                .replaceAll("asst-main-[0-9a-f]{8}", java.util.regex.Matcher.quoteReplacement(payload("assistant-id")))
                .replaceAll("acme-health-[0-9a-f]{8}", samples.id(Samples.ACME));
        ingest.ingest("vapi", "application/json", Map.of(), report2.getBytes(StandardCharsets.UTF_8));
    }

    /** A browser context that records every request for planted markup's traces. */
    record Watched(BrowserContext context, Page page, List<String> hits) {
    }

    Watched open() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900));
        List<String> hits = new CopyOnWriteArrayList<>();
        context.onRequest(request -> {
            String url = request.url();
            if (url.contains("/xss-hit/") || url.endsWith("/x")) {
                hits.add(url);
            }
        });
        context.onDialog(dialog -> {
            hits.add("dialog: " + dialog.message());
            dialog.dismiss();
        });
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        return new Watched(context, page, hits);
    }

    /** Hovers every bar, slice and legend entry of every chart on the page; returns the tooltips' texts. */
    static List<String> hoverEveryChart(Page page) {
        page.locator("vl-chart svg.apexcharts-svg").first().waitFor();
        page.waitForTimeout(500);
        List<String> tooltips = new ArrayList<>();
        Locator shapes = page.locator("vl-chart path.apexcharts-bar-area, vl-chart path.apexcharts-pie-area, "
                + "vl-chart .apexcharts-legend-series, vl-chart .apexcharts-series-markers circle");
        int count = Math.min(shapes.count(), 60);
        for (int i = 0; i < count; i++) {
            Locator shape = shapes.nth(i);
            if (!shape.isVisible()) {
                continue;
            }
            shape.scrollIntoViewIfNeeded();
            shape.hover(new Locator.HoverOptions().setForce(true));
            page.waitForTimeout(120);
            for (Locator tooltip : page.locator("vl-chart .apexcharts-tooltip.apexcharts-active").all()) {
                tooltips.add(tooltip.textContent());
            }
        }
        for (Locator legend : page.locator("vl-chart .apexcharts-legend").all()) {
            tooltips.add(legend.textContent());
        }
        page.waitForTimeout(300);
        return tooltips;
    }

    @Test
    void theDetectorSeesMarkupThatBecomesHtml() {
        Watched watched = open();
        Chromium.signIn(watched.page(), port, admin(), "password-123");
        watched.page().evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", payload("control"));
        for (int wait = 0; wait < 50 && watched.hits().stream().noneMatch(hit -> hit.contains("/xss-hit/control")); wait++) {
            watched.page().waitForTimeout(100);
        }
        assertThat(watched.hits()).as("the control markup ran").anyMatch(hit -> hit.contains("/xss-hit/control"));
        watched.context().close();
    }

    @Test
    void aCustomerHoveringEveryChartRunsNoPlantedMarkup() {
        Watched watched = open();
        Page page = Chromium.signIn(watched.page(), port, admin(), "password-123");
        page.waitForURL("**/dashboard");
        List<String> tooltips = hoverEveryChart(page);
        page.navigate("http://localhost:" + port + "/credits");
        page.waitForTimeout(1_000);
        if (page.locator("vl-chart").count() > 0) {
            tooltips.addAll(hoverEveryChart(page));
        }

        assertThat(watched.hits()).as("requests made by planted markup").isEmpty();
        assertThat(String.join("\n", tooltips)).as("the names are shown, as text")
                .contains("<img src=x onerror=fetch('/xss-hit/assistant-name')>")
                .contains("xss-hit/model");
        watched.context().close();
    }

    @Test
    void financeHoveringEveryMarginChartAndTheCustomersDashboardRunsNoPlantedMarkup() {
        String finance = "xss-fin-" + suffix;
        users.create(finance, "Fin", "password-123", Role.FINANCE_ADMIN, null);
        Watched watched = open();
        Page page = Chromium.signIn(watched.page(), port, finance, "password-123");
        List<String> tooltips = new ArrayList<>();
        for (String groupBy : List.of("customer", "assistant", "model", "layer")) {
            page.navigate("http://localhost:" + port + "/admin/margins");
            Locator by = page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("By").setExact(true));
            by.fill(groupBy);
            by.press("Enter");
            page.waitForTimeout(800);
            tooltips.addAll(hoverEveryChart(page));
        }
        page.navigate("http://localhost:" + port + "/admin/revenue");
        page.waitForTimeout(1_000);
        tooltips.addAll(hoverEveryChart(page));
        page.navigate("http://localhost:" + port + "/admin/customers/" + acme.externalId());
        page.getByText("View as customer").click();
        page.waitForURL("**/dashboard");
        tooltips.addAll(hoverEveryChart(page));

        assertThat(watched.hits()).as("requests made by planted markup").isEmpty();
        assertThat(String.join("\n", tooltips)).as("the names are shown, as text")
                .contains("xss-hit/customer-name").contains("xss-hit/assistant-name").contains("xss-hit/model");
        watched.context().close();
    }

    private String admin() {
        String admin = "xss-adm-" + suffix;
        users.create(admin, "Ada", "password-123", Role.CUSTOMER_ADMIN, acme.id());
        return admin;
    }
}
