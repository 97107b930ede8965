package com.voiceledger.revenue.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.security.Role;
import com.voiceledger.support.Chromium;
import com.voiceledger.support.KaribuTest;
import java.time.Clock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.support.Http;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Revenue end to end over HTTP, from invoices the month-end close really issued: a prepaid commitment with
 * breakage and a credit, a postpaid true-up, a lock, an invoice finalized after it (caught up in the next
 * month), late usage, a credit note, and the journal.
 *
 * Then finance reads February on the Revenue page (Karibu) and locks it there.
 *
 * <p>Locks are global and lock every earlier month too: the revenue tests keep to 2024 and run in this one
 * class, in order (January locked over HTTP, then February on the page).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevenueIT extends KaribuTest {

    static final YearMonth JAN = YearMonth.of(2024, 1);
    static final YearMonth FEB = YearMonth.of(2024, 2);

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    BillingRuns runs;
    @Autowired
    AuditLog audit;
    @Autowired
    InvoiceService invoices;
    @Autowired
    Clock clock;

    Http http;
    static Customer prepaid;
    static Customer held;

    @Test
    @Order(1)
    void revenueOfRealInvoicesReconcilesLocksAndCatchesUpInTheNextOpenMonth() {
        http = new Http(port);
        // per-minute 0.10/min, minimum 0.50 a call: the sample's 192 s call bills 4 min = 0.40 + 0.10 top-up
        Samples prepaidCalls = Samples.fresh().onDay(JAN.atDay(10));
        prepaid = customer(prepaidCalls, "Prepaid", "{\"amount\": \"5.00\", \"period\": \"MONTH\", \"prepaid\": true}");
        Samples postpaidCalls = Samples.fresh().onDay(JAN.atDay(11));
        Customer postpaid = customer(postpaidCalls, "Postpaid", "{\"amount\": \"2.00\", \"period\": \"MONTH\", \"prepaid\": false}");
        Samples heldCalls = Samples.fresh().onDay(JAN.atDay(12));
        held = customer(heldCalls, "Held", null);
        admin("/api/admin/v1/customers/" + prepaid.externalId() + "/credits",
                "{\"amount\": \"1.00\", \"effectiveFrom\": \"2024-01-01T00:00:00Z\", \"reason\": \"launch\"}", 201);
        deliver(prepaidCalls.text(Samples.EOCR));
        deliver(postpaidCalls.text(Samples.EOCR));
        deliver(heldCalls.text(Samples.EOCR));
        close(JAN, prepaid);
        close(JAN, postpaid);

        // prepaid 5.00, 0.50 drawn, 4.50 unused at the month's end, 1.00 credit: billed 5.00 - 1.00 = 4.00
        JsonNode january = revenue(JAN, prepaid);
        assertThat(figures(january.path("customers").get(0))).isEqualTo(
                "usage 0.40 minimumCharge 0.10 overage 0.00 trueUp 0.00 lateUsage 0.00 breakage 4.50 credits -1.00"
                        + " creditNotes 0.00 total 4.00 | deferred 0.00 5.00 0.50 4.50 0.00 | ok 4.00");
        assertThat(january.path("currency").asString()).isEqualTo("USD");
        assertThat(january.path("recognized").path("total").asString()).isEqualTo("4.00");
        // postpaid 2.00: 0.50 used, 1.50 true-up
        assertThat(figures(revenue(JAN, postpaid).path("customers").get(0))).isEqualTo(
                "usage 0.40 minimumCharge 0.10 overage 0.00 trueUp 1.50 lateUsage 0.00 breakage 0.00 credits 0.00"
                        + " creditNotes 0.00 total 2.00 | deferred 0.00 0.00 0.00 0.00 0.00 | ok 2.00");
        JsonNode everyone = http.get("/api/admin/v1/revenue?month=" + JAN).bearer(TestFixtures.ADMIN_TOKEN).send().json();
        assertThat(everyone.path("check").path("ok").asBoolean()).as(everyone.toString()).isTrue();

        Http.Response locked = admin("/api/admin/v1/revenue/periods/" + JAN + "/lock", "{\"reason\": \"January close\"}",
                200);
        assertThat(locked.json().path("locked").asBoolean()).isTrue();
        assertThat(audit.entries("revenue.lock", 20)).anySatisfy(entry -> {
            assertThat(entry.subject()).isEqualTo("revenue " + JAN);
            assertThat(entry.reason()).isEqualTo("January close");
        });
        admin("/api/admin/v1/revenue/periods/" + JAN + "/lock", "{}", 409);
        admin("/api/admin/v1/revenue/periods/2999-01/lock", "{}", 400);

        // after the lock: the held customer's January invoice is issued, and a January call of the prepaid
        // customer arrives late, onto its February invoice; a credit note corrects its January invoice
        close(JAN, held);
        Samples late = Samples.fresh().onDay(JAN.atDay(20));
        deliver(late.text(Samples.EOCR).replace(late.id(Samples.ACME), prepaid.externalId()));
        close(FEB, prepaid);
        long januaryInvoice = invoices.invoices(prepaid.id()).stream().filter(i -> i.month().equals(JAN))
                .findFirst().orElseThrow().id();
        admin("/api/admin/v1/invoices/" + januaryInvoice + "/credit-notes", "{\"customer\": \"" + prepaid.externalId()
                + "\", \"amount\": \"0.75\", \"reason\": \"dropped call\"}", 201);

        assertThat(revenue(JAN, prepaid).toString()).isEqualTo(january.toString()
                .replace("\"locked\":false", "\"locked\":true").replace("\"lockedThrough\":null",
                        "\"lockedThrough\":\"" + JAN + "\""));
        assertThat(revenue(JAN, held).path("customers").size()).isZero();
        // held: January's invoice caught up in February
        assertThat(figures(revenue(FEB, held).path("customers").get(0))).isEqualTo(
                "usage 0.40 minimumCharge 0.10 overage 0.00 trueUp 0.00 lateUsage 0.00 breakage 0.00 credits 0.00"
                        + " creditNotes 0.00 total 0.50 | deferred 0.00 0.00 0.00 0.00 0.00 | ok 0.50");
        // prepaid, February: late usage 0.40 + 0.10 (it draws nothing: it belongs to January), a new 5.00 unused
        assertThat(figures(revenue(FEB, prepaid).path("customers").get(0))).isEqualTo(
                "usage 0.00 minimumCharge 0.00 overage 0.00 trueUp 0.00 lateUsage 0.50 breakage 5.00 credits 0.00"
                        + " creditNotes 0.00 total 5.50 | deferred 0.00 5.00 0.00 5.00 0.00 | ok 5.50");
        // the credit note counts in the month it is issued
        YearMonth issued = YearMonth.from(clock.instant().atZone(java.time.ZoneOffset.UTC));
        assertThat(revenue(issued, prepaid).path("customers").get(0).path("recognized").path("creditNotes")
                .asString()).isEqualTo("-0.75");

        Http.Response csv = http.get("/api/admin/v1/revenue/journal.csv?month=" + FEB).bearer(TestFixtures.ADMIN_TOKEN)
                .send();
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("date,account,debit,credit,customer,memo,source");
        BigDecimal debits = BigDecimal.ZERO;
        BigDecimal credits = BigDecimal.ZERO;
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            debits = debits.add(new BigDecimal(fields[2]));
            credits = credits.add(new BigDecimal(fields[3]));
        }
        assertThat(debits).isEqualByComparingTo(credits).isPositive();
        assertThat(lines).anyMatch(line -> line.startsWith("2024-02-29,4040,0.00,0.50," + prepaid.externalId()
                + ",Late usage revenue"));
        assertThat(lines).anyMatch(line -> line.startsWith("2024-02-29,4000,0.00,0.40," + held.externalId()
                + ",Usage revenue · 2024-01 (catch-up: 2024-01 was locked)"));
        assertThat(lines).anyMatch(line -> line.startsWith("2024-02-29,2400,5.00,0.00," + prepaid.externalId()
                + ",Breakage"));
        assertThat(http.get("/api/admin/v1/revenue?month=2024-13").bearer(TestFixtures.ADMIN_TOKEN).send().status())
                .isEqualTo(400);
    }

    @Test
    @Order(2)
    void financeReadsTheMonthOnTheRevenuePageAndLocksIt() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        users.create("rev-" + suffix, "Rita Revenue", "password-123", Role.FINANCE_ADMIN, null);
        loginAs("rev-" + suffix);
        UI.getCurrent().navigate("admin/revenue", com.vaadin.flow.router.QueryParameters.of("month", FEB.toString()));
        RevenueView view = _get(RevenueView.class);
        assertThat(view.month.getValue()).isEqualTo(FEB);
        assertThat(view.status.getText()).startsWith("2024-02 is open").contains("locked through 2024-01");
        assertThat(view.customers.getListDataView().getItems()
                .filter(row -> row.externalId().equals(prepaid.externalId()))
                .map(row -> row.figures().recognized().get(com.voiceledger.revenue.Category.LATE_USAGE) + " "
                        + row.figures().recognized().get(com.voiceledger.revenue.Category.BREAKAGE) + " "
                        + row.figures().total())).containsExactly("0.50 5.00 5.50");
        assertThat(view.customers.getListDataView().getItems().map(row -> row.externalId()))
                .contains(held.externalId());
        assertThat(view.recognized.getListDataView().getItems().map(row -> row.label()))
                .startsWith("Usage", "Minimum charge", "Overage", "True-up", "Late usage", "Breakage")
                .endsWith("Total recognized");
        assertThat(view.deferred.getListDataView().getItems().map(row -> row.label())).first().isEqualTo("Opening");
        String chart = view.chart.getElement().getProperty("options");
        assertThat(chart).contains("\"2023-03\"", "\"2024-02\"", "Breakage", "Deferred balance (end of month)");
        assertThat(view.journal.getHref()).isEqualTo("api/admin/v1/revenue/journal.csv?month=2024-02");

        view.reason.setValue("February close");
        _click(_get(Button.class, spec -> spec.withText("Lock 2024-02")));
        assertThat(view.status.getText()).startsWith("2024-02 is locked");
        assertThat(view.lock.isEnabled()).isFalse();
        assertThat(audit.entries("revenue.lock", 20)).anySatisfy(entry -> {
            assertThat(entry.subject()).isEqualTo("revenue " + FEB);
            assertThat(entry.actor()).isEqualTo("rev-" + suffix);
        });
    }

    @Test
    @Order(3)
    void theRevenuePageDrawsItsChartInARealBrowser() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        users.create("revb-" + suffix, "Rob Revenue", "password-123", Role.FINANCE_ADMIN, null);
        java.nio.file.Path screenshots = java.nio.file.Paths.get("target", "screenshots");
        java.nio.file.Files.createDirectories(screenshots);
        try (Chromium chromium = Chromium.launch()) {
            Page page = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)).newPage();
            page.setDefaultTimeout(30_000);
            Chromium.signIn(page, port, "revb-" + suffix, "password-123");
            page.navigate("http://localhost:" + port + "/admin/revenue?month=" + FEB);
            page.getByText("Twelve months").waitFor();
            // ApexCharts drew the trend: its SVG inside the wrapper, with the deferred balance line among the series
            page.locator("vl-chart svg.apexcharts-svg").first().waitFor();
            assertThat(page.locator("vl-chart").textContent()).contains("Deferred balance");
            assertThat(page.getByText(prepaid.name()).count()).isPositive();
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("finance-revenue.png")));
            page.locator("vl-chart").scrollIntoViewIfNeeded();
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("finance-revenue-chart.png")));
            page.getByText("By customer").scrollIntoViewIfNeeded();
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("finance-revenue-customers.png")));
        }
    }

    @Test
    @Order(4)
    void onlyFinanceReadsRevenue() {
        http = new Http(port);
        Samples samples = Samples.fresh();
        Customer customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Nosy", "USD", "UTC"));
        String key = fixtures.apiKey(customer);
        assertThat(http.get("/api/admin/v1/revenue?month=2024-01").bearer(key).send().status()).isEqualTo(403);
        assertThat(http.get("/api/admin/v1/revenue/journal.csv?month=2024-01").send().status()).isEqualTo(401);
        assertThat(http.post("/api/admin/v1/revenue/periods/2024-01/lock", "application/json", "{}").bearer(key).send()
                .status()).isEqualTo(403);
    }

    @Autowired
    TestFixtures fixtures;

    Customer customer(Samples samples, String name, String commitment) {
        Customer customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), name + " "
                + UUID.randomUUID().toString().substring(0, 6), "USD", "UTC"));
        admin("/api/admin/v1/customers/" + customer.externalId() + "/contracts", """
                {"effectiveFrom": "2024-01-01T00:00:00Z", "pricingModel": "PER_MINUTE", "reason": "revenue test",
                 "perMinuteRate": "0.10", "minimumCharge": "0.50", "billingIncrementSeconds": 60%s}
                """.formatted(commitment == null ? "" : ", \"commitment\": " + commitment), 201);
        return customer;
    }

    Http.Response admin(String path, String json, int status) {
        Http.Response response = http.post(path, "application/json", json).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }

    void deliver(String body) {
        Http.Response response = http.post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    void close(YearMonth month, Customer customer) {
        Http.Response started = admin("/api/admin/v1/billing-runs", "{\"month\":\"" + month + "\",\"customer\":\""
                + customer.externalId() + "\"}", 202);
        runs.runQueued();
        assertThat(runs.get(started.json().path("id").asLong()).status()).isEqualTo("DONE");
    }

    JsonNode revenue(YearMonth month, Customer customer) {
        Http.Response response = http.get("/api/admin/v1/revenue?month=" + month + "&customer=" + customer.externalId())
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** A customer's month in one line: recognized by category, deferred roll-forward, the check. */
    static String figures(JsonNode row) {
        StringBuilder text = new StringBuilder();
        row.path("recognized").properties().forEach(e -> text.append(e.getKey()).append(' ')
                .append(e.getValue().asString()).append(' '));
        text.append("| deferred");
        row.path("deferred").properties().forEach(e -> text.append(' ').append(e.getValue().asString()));
        JsonNode check = row.path("check");
        return text + " | " + (check.path("ok").asBoolean() ? "ok" : "DIFFERS") + " " + check.path("invoiced").asString();
    }

}
