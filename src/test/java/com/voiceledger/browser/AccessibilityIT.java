package com.voiceledger.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.LoadState;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.ratecard.NewRateCardVersion;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserService;
import com.voiceledger.support.Chromium;
import com.voiceledger.support.RouteViews;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * axe-core (WCAG 2 A and AA rules) on every route of the app, swept from the {@code @Route} classes as
 * TenantIsolationIT does, signed in as a customer admin and as finance, in the light and the dark
 * scheme, in one headless Chromium: no serious or critical violation. On each page it also checks the
 * rules of docs/decisions/0043: times say their zone (the customer's billing zone on its own pages),
 * and every amount with more decimals than cents carries its currency. axe-core is vendored in
 * src/test/resources/axe-core (npm {@code axe-core}, MPL-2.0): CI has no internet beyond registries.
 */
@IntegrationTest
class AccessibilityIT {

    static final String ZONE = "America/New_York";
    /** 2004-06 is this test's month (IntegrationTest lists who uses which). */
    static final YearMonth INVOICED = YearMonth.of(2004, 6);

    static Chromium chromium;
    static Browser browser;
    static String axe;

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    UserService users;
    @Autowired
    VapiIngest ingest;
    @Autowired
    InvoiceService invoices;
    @Autowired
    RateCardService rateCard;
    @Autowired
    Clock clock;

    Customer customer;
    String suffix;
    long invoice;
    Samples today;

    @BeforeAll
    static void startBrowser() throws IOException {
        try (InputStream in = AccessibilityIT.class.getResourceAsStream("/axe-core/axe.min.js")) {
            assertThat(in).as("vendored axe-core").isNotNull();
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.createDirectories(BrowserFlowIT.SCREENSHOTS);
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        today = Samples.fresh().onDay(LocalDate.now(clock));
        customer = customers.create(NewCustomer.parse(today.id(Samples.ACME), "Access Health " + suffix, "USD", ZONE));
        users.create("a11y-admin-" + suffix, "Ada Access", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        users.create("a11y-finance-" + suffix, "Fin Access", "password-123", Role.FINANCE_ADMIN, null);
        ingest.ingest("vapi", "application/json", Map.of(), today.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));
        ingest.ingest("vapi", "application/json", Map.of(),
                today.text(Samples.EOCR_SILENCE).replace(today.id(Samples.GLOBEX), today.id(Samples.ACME))
                        .getBytes(StandardCharsets.UTF_8));
        // an invoice to open, in this test's own month, priced by a version of that month
        Samples old = Samples.fresh().onDay(INVOICED.atDay(10));
        var monthStart = INVOICED.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        rateCard.versionAt(monthStart).ifPresentOrElse(version -> { }, () -> rateCard.publish(new NewRateCardVersion(
                monthStart, "USD", "accessibility test", List.of(new RateEntry("platform", "vapi", "*", "minute",
                        new BigDecimal("0.05")))), "test"));
        ingest.ingest("vapi", "application/json", Map.of(), old.text(Samples.EOCR)
                .replace(old.id(Samples.ACME), today.id(Samples.ACME)).getBytes(StandardCharsets.UTF_8));
        invoice = invoices.close(customer, INVOICED).invoice().id();
    }

    /** Every {@code @Route} of the app, from the classes themselves: a new page is swept without listing it. */
    static List<String> routes() {
        return RouteViews.all().stream().map(RouteViews.View::template).toList();
    }

    String concrete(String template) {
        Map<String, String> ids = Map.of("callId", today.id(Samples.MAIN_CALL_ID), "id", Long.toString(invoice),
                "externalId", customer.externalId());
        return RouteViews.fill(template, ids);
    }

    Page signIn(BrowserContext context, String username) {
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        return Chromium.signIn(page, port, username, "password-123");
    }

    /** Opens a page and waits until Vaadin has drawn it (its heading) and charts have settled. */
    /** True when the browser shows {@code path} itself (not a login page or an error page it was sent to). */
    static boolean arrived(Page page, String path) {
        return java.net.URI.create(page.url()).getPath().equals("/" + path)
                && page.locator("vaadin-login-form").count() == 0;
    }

    void open(Page page, String path) {
        page.navigate("http://localhost:" + port + "/" + path);
        page.waitForLoadState(LoadState.NETWORKIDLE);
        page.locator("h2, h1").first().waitFor();
        page.waitForTimeout(300);
    }

    /** Every rule in the light scheme; in the dark one only what a scheme changes: colours and contrast. */
    @SuppressWarnings("unchecked")
    List<String> seriousViolations(Page page, ColorScheme scheme) {
        String runOnly = scheme == ColorScheme.DARK
                ? "{ type: 'rule', values: ['color-contrast', 'link-in-text-block', 'link-name', 'aria-progressbar-name'] }"
                : "{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }";
        List<Map<String, Object>> violations = (List<Map<String, Object>>) page.evaluate("""
                async () => {
                  const result = await axe.run(document, { runOnly: RUN_ONLY, resultTypes: ['violations'] });
                  return result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                 targets: v.nodes.slice(0, 3).map(n => JSON.stringify(n.target)).join(' ') }));
                }""".replace("RUN_ONLY", runOnly));
        return violations.stream().map(v -> v.get("id") + " (" + v.get("impact") + "): " + v.get("help") + " at "
                + v.get("targets")).toList();
    }

    static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    /** A decimal with more digits than cents: a precise amount (must say its currency) or a quantity. */
    static final Pattern PRECISE = Pattern.compile("(?<![\\w.])-?\\d+\\.\\d{3,}(?![\\d.])(?! ?(USD|%))");

    /** What a page shows in breach of decision 0043: times without a zone, or amounts without a currency. */
    List<String> formatProblems(Page page, String route, boolean customerPage) {
        String text = (String) page.evaluate("() => document.body.innerText");
        List<String> problems = new ArrayList<>();
        if (DATE_TIME.matcher(text).find()) {
            String zone = customerPage ? "(" + ZONE + ")" : "(UTC)";
            boolean labelled = text.contains(zone) || !customerPage && text.contains("time zone");
            if (!labelled) {
                problems.add(route + " shows times without saying " + zone);
            }
            if (customerPage && text.contains("(UTC)")) {
                problems.add(route + " shows a customer's times in UTC");
            }
        }
        Matcher bare = PRECISE.matcher(text);
        while (bare.find()) {
            String around = text.substring(Math.max(0, bare.start() - 40), Math.min(text.length(), bare.end() + 20));
            if (!around.matches("(?s).*(token|minute|character|second|×|Quantity|quantity).*")) {
                problems.add(route + " shows " + bare.group() + " without its currency: …" + around.replace('\n', ' ') + "…");
            }
        }
        return problems;
    }

    @Test
    void everyRouteHasNoSeriousAccessibilityViolationAndSaysItsZoneAndCurrencyForBothRolesInBothSchemes() {
        List<String> routes = routes();
        assertThat(routes).as("the sweep finds the app's pages").contains("dashboard", "invoices", "admin/margins",
                "admin/rate-card", "admin/unpriced", "calls/:callId").hasSizeGreaterThanOrEqualTo(21);
        List<String> customerRoutes = routes.stream().filter(r -> !r.startsWith("admin/") && !r.equals("login")
                && !r.isEmpty()).toList();
        List<String> financeRoutes = routes.stream().filter(r -> r.startsWith("admin/")).toList();
        List<String> problems = new ArrayList<>();
        // each page the browser really showed (its address, not a redirect to the login or an error page)
        java.util.Set<String> shown = new java.util.TreeSet<>();
        long started = System.nanoTime();
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                    .setViewportSize(1280, 900).setColorScheme(scheme))) {
                // the browser loads axe-core into every page itself, before the app's scripts
                context.addInitScript(axe);
                Page login = context.newPage();
                login.navigate("http://localhost:" + port + "/login");
                login.locator("vaadin-login-form").waitFor();
                seriousViolations(login, scheme).forEach(v -> problems.add("login [" + scheme + "]: " + v));
                login.close();
            }
            try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                    .setViewportSize(1280, 900).setColorScheme(scheme))) {
                // the browser loads axe-core into every page itself, before the app's scripts
                context.addInitScript(axe);
                Page page = signIn(context, "a11y-admin-" + suffix);
                for (String route : customerRoutes) {
                    open(page, concrete(route));
                    if (arrived(page, concrete(route))) {
                        shown.add(scheme + " admin " + route);
                    }
                    seriousViolations(page, scheme).forEach(v -> problems.add(route + " [admin, " + scheme + "]: " + v));
                    if (scheme == ColorScheme.LIGHT) {
                        problems.addAll(formatProblems(page, route, true));
                    }
                }
            }
            try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                    .setViewportSize(1280, 900).setColorScheme(scheme))) {
                // the browser loads axe-core into every page itself, before the app's scripts
                context.addInitScript(axe);
                Page page = signIn(context, "a11y-finance-" + suffix);
                for (String route : financeRoutes) {
                    open(page, concrete(route));
                    if (arrived(page, concrete(route))) {
                        shown.add(scheme + " finance " + route);
                    }
                    seriousViolations(page, scheme).forEach(v -> problems.add(route + " [finance, " + scheme + "]: " + v));
                    if (scheme == ColorScheme.LIGHT) {
                        problems.addAll(formatProblems(page, route, false));
                    }
                }
            }
        }
        System.out.printf("AccessibilityIT: %d pages in %d s%n", shown.size(), (System.nanoTime() - started) / 1_000_000_000);
        // every route the app declares (found from its @Route classes, not from this loop), shown to its role in
        // both schemes: the customer admin every page outside admin/, finance every admin/ page
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            for (RouteViews.View view : RouteViews.all()) {
                String route = view.template();
                if (route.startsWith("admin/")) {
                    expected.add(scheme + " finance " + route);
                } else if (!route.equals("login") && !route.isEmpty()) {
                    expected.add(scheme + " admin " + route);
                }
            }
        }
        assertThat(shown).as("pages the browser showed at their own address").isEqualTo(expected);
        assertThat(problems).isEmpty();
    }
}
