package com.voiceledger.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.dom.Element;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.security.Role;
import com.voiceledger.support.Http;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.RouteViews;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * A sweep over every route a customer could try, found from the application itself (Spring MVC's
 * handler mappings, checked against the OpenAPI document, and every Vaadin {@code @Route}), so a new
 * route is swept without anyone listing it. Each is tried by customer B with customer A's ids and
 * external id, with B's own API key or B's signed-in user: nothing of A ever shows, and no finance
 * route (API {@code /api/admin/**}, screens {@code admin/...}) answers a customer at all.
 */
class TenantIsolationIT extends KaribuTest {

    /** The header the API's CSRF guard asks of session writes (security.internal.ApiWriteGuard). */
    static final String CSRF_HEADER = "X-Requested-With";
    static final Pattern VARIABLE = Pattern.compile("\\{(\\w+)}");

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    CustomerService customers;
    @Autowired
    BillingRuns runs;
    @Autowired
    com.voiceledger.latency.Latencies latencies;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    Http http;
    String suffix;
    Customer victim;
    Customer attacker;
    String victimKey;
    String attackerKey;
    String attackerUser;
    Samples samples;
    long victimInvoice;
    String victimInvoiceNumber;
    /** Strings only the victim's data contains: if any shows to the attacker, something leaked. */
    List<String> secrets;

    @BeforeEach
    void twoCustomers() {
        http = new Http(port);
        suffix = UUID.randomUUID().toString().substring(0, 8);
        samples = Samples.fresh().onDay(LocalDate.of(2013, 2, 10));
        victim = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Victim Corp " + suffix, "USD", "UTC"));
        attacker = customers.create(NewCustomer.parse(samples.id(Samples.GLOBEX), "Attacker Ltd " + suffix, "USD", "UTC"));
        victimKey = fixtures.apiKey(victim);
        attackerKey = fixtures.apiKey(attacker);
        attackerUser = "attacker-" + suffix;
        users.create(attackerUser, "Eve Attacker", "password-123", Role.CUSTOMER_ADMIN, attacker.id());
        // the victim's calls: the main sample, and one more whose id the attacker never types
        String hiddenCall = UUID.randomUUID().toString();
        deliver(samples.text(Samples.EOCR));
        deliver(samples.text(Samples.EOCR).replace(samples.id(Samples.MAIN_CALL_ID), hiddenCall));
        // the attacker has a call of its own, so its pages are not empty
        deliver(samples.text(Samples.EOCR_SILENCE));
        assertThat(http.post("/api/admin/v1/customers/" + victim.externalId() + "/credits", "application/json",
                "{\"amount\": \"123.45\", \"effectiveFrom\": \"2013-01-01T00:00:00Z\", \"priority\": 1, "
                        + "\"reason\": \"victim-grant-" + suffix + "\"}").bearer(TestFixtures.ADMIN_TOKEN).send().status())
                .isEqualTo(201);
        // the victim's billing details, printed on its invoice (decision 0077): its legal name is a secret too
        assertThat(http.put("/api/admin/v1/customers/" + victim.externalId() + "/billing-details", "application/json",
                "{\"legalName\": \"victim-legal-" + suffix + "\", \"address\": {\"line1\": \"1 Main St\", "
                        + "\"city\": \"Springfield\", \"country\": \"US\"}}").bearer(TestFixtures.ADMIN_TOKEN).send()
                .status()).isEqualTo(200);
        long run = runs.start(YearMonth.of(2013, 2), victim, "test");
        runs.runQueued();
        victimInvoice = runs.get(run).results().getFirst().invoiceId();
        victimInvoiceNumber = http.get("/api/v1/invoices/" + victimInvoice).bearer(victimKey).send().json()
                .path("number").asString();
        assertThat(victimInvoiceNumber).isNotBlank();
        // a latency alert of the victim's, on an assistant only it knows (issue #30)
        latencies.setThreshold(victim, "victim-latency-" + suffix, 2000, "test");
        secrets = List.of("Victim Corp " + suffix, hiddenCall, victimInvoiceNumber, "victim-grant-" + suffix,
                samples.id("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13"), "victim-legal-" + suffix,
                "victim-latency-" + suffix);
    }

    void deliver(String body) {
        Http.Response response = http.post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** The victim's value for each path variable any route uses; a new variable must be added here. */
    Map<String, String> victimIds() {
        return Map.of("callId", samples.id(Samples.MAIN_CALL_ID), "id", Long.toString(victimInvoice),
                "externalId", victim.externalId(), "grantId", "1", "version", "1", "month", "2013-02",
                "assistantId", samples.id("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13"));
    }

    record ApiRoute(String method, String pattern) {
    }

    /** Every API route of the application, from Spring MVC's own mappings. */
    List<ApiRoute> apiRoutes() {
        List<ApiRoute> routes = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                var methods = info.getMethodsCondition().getMethods();
                if (methods.isEmpty()) {
                    routes.add(new ApiRoute("GET", pattern));
                }
                methods.forEach(method -> routes.add(new ApiRoute(method.name(), pattern)));
            }
        }
        return routes;
    }

    String concrete(String pattern) {
        Matcher matcher = VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = victimIds().get(matcher.group(1));
            assertThat(value).as("no victim id for {%s} in %s: add one to victimIds()", matcher.group(1), pattern)
                    .isNotNull();
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    Http.Response call(String method, String path, String key) {
        String withVictim = path + (path.contains("?") ? "&" : "?") + "customer=" + victim.externalId() + "&month=2013-02";
        Http.Request request = switch (method) {
            case "GET" -> http.get(withVictim);
            case "PUT" -> http.put(withVictim, "application/json", "{\"customerId\": \"" + victim.externalId()
                    + "\", \"amount\": \"1\", \"email\": \"eve@example.com\", \"url\": \"http://127.0.0.1:9/eve\"}");
            default -> http.post(withVictim, "application/json", "{\"customerId\": \"" + victim.externalId()
                    + "\", \"amount\": \"1\", \"month\": \"2013-02\", \"reason\": \"eve\"}");
        };
        if (key == null) {
            return request.send();
        }
        if (key.startsWith("JSESSIONID=")) {
            // what the attacker's own browser sends with the application's JSON writes: the session cookie and
            // the CSRF header (ApiWriteGuard), so each write reaches the controller and its tenant checks
            request.header("Cookie", key);
            if (!method.equals("GET")) {
                request.header(CSRF_HEADER, "XMLHttpRequest");
            }
            return request.send();
        }
        return request.bearer(key).send();
    }

    /** The CSRF guard's refusal: an answer with it never reached a controller, so it proves nothing about tenants. */
    static boolean stoppedByTheCsrfGuard(Http.Response answer) {
        return answer.status() == 403 && answer.body().contains(CSRF_HEADER);
    }

    /**
     * The attacker's customer-admin signed in through the real login form, as a browser does: the
     * session cookie the API also accepts. (An API key is refused by every admin write before any other
     * check runs; a session of a customer admin gets past that, to the checks that keep tenants apart.)
     */
    String signedInSession(String user, String password) {
        String session = http.signIn(user, password);
        assertThat(http.get("/api/v1/spend").header("Cookie", session).send().status()).as("the session works").isEqualTo(200);
        return session;
    }

    @Test
    void everyCustomerApiRouteTriedWithAnotherCustomersIdsAndKeyShowsNothingOfIt() {
        sweepCustomerApi(attackerKey);
    }

    @Test
    void everyCustomerApiRouteTriedWithAnotherCustomersIdsAndItsAdminsSessionShowsAndChangesNothingOfIt()
            throws Exception {
        String attackerBefore = webhookAndEmail(attacker);

        sweepCustomerApi(signedInSession(attackerUser, "password-123"));

        // positive control: the same writes, with the victim's ids in them, did reach the controllers and
        // changed the attacker's own settings (PUT /spend/cap, /alerts/email, /alerts/webhook), not the victim's
        assertThat(webhookAndEmail(attacker)).as("the attacker's own settings after its writes")
                .isNotEqualTo(attackerBefore).contains("eve@example.com").contains("1.00");
    }

    @Test
    void noFinanceApiRouteAnswersACustomerAdminsSession() {
        String session = signedInSession(attackerUser, "password-123");
        List<String> answered = new ArrayList<>();
        for (ApiRoute route : apiRoutes().stream().filter(r -> r.pattern().startsWith("/api/admin/")).toList()) {
            Http.Response answer = call(route.method(), concrete(route.pattern()), session);
            if (answer.status() != 403 || stoppedByTheCsrfGuard(answer)) {
                answered.add(route.method() + " " + route.pattern() + " → " + answer.status() + " " + answer.body());
            }
        }
        assertThat(answered).isEmpty();
    }

    /** Every /api/v1 route, each method, with the victim's ids, as the attacker with {@code credential}. */
    void sweepCustomerApi(String credential) {
        String victimWebhookBefore = victimWebhookAndEmail();
        List<ApiRoute> routes = apiRoutes().stream().filter(r -> r.pattern().startsWith("/api/v1/")).toList();
        assertThat(routes).extracting(ApiRoute::pattern).contains("/api/v1/calls/{callId}", "/api/v1/invoices/{id}",
                "/api/v1/usage/summary", "/api/v1/calls.csv");
        String victimSpendBefore = http.get("/api/v1/spend").bearer(victimKey).send().body();
        String victimAlertsBefore = http.get("/api/v1/alerts").bearer(victimKey).send().body();
        String victimLatencyBefore = http.get("/api/v1/latency?month=2013-02").bearer(victimKey).send().body();
        assertThat(victimLatencyBefore).contains("victim-latency-" + suffix);
        List<String> leaks = new ArrayList<>();
        for (ApiRoute route : routes) {
            String path = concrete(route.pattern());
            Http.Response answer = call(route.method(), path, credential);
            String where = route.method() + " " + route.pattern() + " → " + answer.status();
            if (stoppedByTheCsrfGuard(answer)) {
                leaks.add(where + ": stopped by the CSRF guard, so the tenant checks behind it were never tried");
            }
            if (answer.status() >= 500) {
                leaks.add(where + ": a server error " + answer.body());
            }
            if (answer.status() >= 200 && answer.status() < 300 || answer.status() >= 300 && answer.status() < 400) {
                secrets.stream().filter(answer.body()::contains).forEach(s -> leaks.add(where + " shows " + s));
                if (answer.body().contains(samples.id(Samples.MAIN_CALL_ID))) {
                    leaks.add(where + " shows the victim's call");
                }
            } else {
                secrets.stream().filter(answer.body()::contains).forEach(s -> leaks.add(where + " (error) shows " + s));
            }
            Http.Response anonymous = call(route.method(), path, null);
            if (anonymous.status() != 401) {
                leaks.add(route.method() + " " + route.pattern() + " without a key → " + anonymous.status());
            }
        }
        assertThat(leaks).isEmpty();
        // and nothing the attacker sent changed the victim's settings
        assertThat(http.get("/api/v1/spend").bearer(victimKey).send().body()).isEqualTo(victimSpendBefore);
        assertThat(http.get("/api/v1/alerts").bearer(victimKey).send().body()).isEqualTo(victimAlertsBefore);
        assertThat(victimWebhookAndEmail()).isEqualTo(victimWebhookBefore);
        assertThat(http.get("/api/v1/latency?month=2013-02").bearer(victimKey).send().body())
                .isEqualTo(victimLatencyBefore);
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    /** The victim's alert settings and team, which no API answer shows in full. */
    String victimWebhookAndEmail() {
        return webhookAndEmail(victim);
    }

    String webhookAndEmail(Customer customer) {
        return jdbc.sql("select coalesce(alert_webhook_url, '-') || ' ' || coalesce(alert_email, '-') || ' ' "
                        + "|| coalesce(customer_cap::text, '-') from spendcap_setting where customer_id = :id")
                .param("id", customer.id().value()).query(String.class).optional().orElse("none")
                + " team " + jdbc.sql("select count(*) || ' ' || coalesce(string_agg(username || ':' || role || ':' "
                        + "|| coalesce(removed_at::text, 'active'), ',' order by id), '') from security_user "
                        + "where customer_id = :id").param("id", customer.id().value()).query(String.class).single();
    }

    @Test
    void noFinanceApiRouteAnswersACustomerKey() {
        List<ApiRoute> routes = apiRoutes().stream().filter(r -> r.pattern().startsWith("/api/admin/")).toList();
        assertThat(routes).hasSizeGreaterThan(20);
        List<String> answered = new ArrayList<>();
        for (ApiRoute route : routes) {
            Http.Response answer = call(route.method(), concrete(route.pattern()), attackerKey);
            if (answer.status() != 403) {
                answered.add(route.method() + " " + route.pattern() + " → " + answer.status());
            }
        }
        assertThat(answered).isEmpty();
    }

    @Test
    void theOpenApiDocumentListsEveryApiRouteTheSweepTries() {
        JsonNode paths = http.get("/v3/api-docs").send().json().path("paths");
        Set<String> documented = new TreeSet<>();
        paths.properties().forEach(entry -> entry.getValue().properties()
                .forEach(method -> documented.add(method.getKey().toUpperCase() + " " + entry.getKey())));
        Set<String> served = new TreeSet<>();
        apiRoutes().forEach(route -> served.add(route.method() + " " + route.pattern()));
        assertThat(documented).containsAll(served);
    }

    // ---------------------------------------------------------------- screens


    String concreteScreen(String template) {
        Map<String, String> ids = Map.of("callId", samples.id(Samples.MAIN_CALL_ID), "id", Long.toString(victimInvoice),
                "externalId", victim.externalId());
        return RouteViews.fill(template, ids);
    }

    void open(String template) {
        UI.getCurrent().navigate(concreteScreen(template), com.vaadin.flow.router.QueryParameters.simple(
                Map.of("customer", victim.externalId(), "month", "2013-02")));
    }

    /** Everything the signed-in user could read on the page: texts, attributes, properties and grid rows. */
    static String visibleText() {
        StringBuilder out = new StringBuilder();
        collect(UI.getCurrent().getElement(), out);
        UI.getCurrent().getChildren().forEach(child -> collectGrids(child, out));
        return out.toString();
    }

    private static void collect(Element element, StringBuilder out) {
        out.append(element.getText()).append('\n');
        element.getAttributeNames().forEach(name -> out.append(element.getAttribute(name)).append('\n'));
        element.getPropertyNames().forEach(name -> out.append(element.getProperty(name, "")).append('\n'));
        element.getChildren().forEach(child -> collect(child, out));
    }

    private static void collectGrids(Component component, StringBuilder out) {
        if (component instanceof Grid<?> grid) {
            int size = GridKt._size(grid);
            for (int row = 0; row < Math.min(size, 500); row++) {
                out.append(GridKt._getFormattedRow(grid, row)).append('\n');
                // the row's item too (records print their ids), not only the columns shown
                out.append(GridKt._get(grid, row)).append('\n');
            }
        }
        component.getChildren().forEach(child -> collectGrids(child, out));
    }

    @Test
    void everyCustomerScreenOpenedWithAnotherCustomersIdsShowsNothingOfIt() {
        List<RouteViews.View> screens = RouteViews.all().stream().filter(s -> !s.template().startsWith("admin/")).toList();
        assertThat(screens).extracting(RouteViews.View::template).contains("calls/:callId", "invoices/:id", "dashboard");
        loginAs(attackerUser);
        List<String> leaks = new ArrayList<>();
        for (RouteViews.View screen : screens) {
            open(screen.template());
            String text = visibleText();
            secrets.stream().filter(text::contains).forEach(s -> leaks.add(screen.template() + " shows " + s));
            if (text.contains("Victim Corp")) {
                leaks.add(screen.template() + " names the victim");
            }
        }
        assertThat(leaks).isEmpty();
        // the attacker does see its own call: the sweep looks at real pages, not empty ones
        UI.getCurrent().navigate("calls");
        assertThat(visibleText()).contains(samples.id(Samples.SILENCE_CALL_ID));
    }

    @Test
    void noFinanceScreenOpensForACustomerUser() {
        List<RouteViews.View> screens = RouteViews.all().stream().filter(s -> s.template().startsWith("admin/")).toList();
        assertThat(screens).hasSizeGreaterThan(5);
        loginAs(attackerUser);
        List<String> opened = new ArrayList<>();
        for (RouteViews.View screen : screens) {
            open(screen.template());
            List<?> chain = UI.getCurrent().getInternals().getActiveRouterTargetsChain();
            if (chain.stream().anyMatch(screen.type()::isInstance)) {
                opened.add(screen.template());
            }
            String text = visibleText();
            secrets.stream().filter(text::contains).forEach(s -> opened.add(screen.template() + " shows " + s));
        }
        assertThat(opened).isEmpty();
    }
}
