package com.voiceledger.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.router.Location;
import com.vaadin.flow.router.NavigationTrigger;
import com.vaadin.flow.router.QueryParameters;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.support.Http;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An address that leads nowhere, for a signed-in person, is the app's own "not found" page inside its
 * layout, with a way back; another customer's invoice or call, or a console page a customer may not
 * open, reads exactly the same. Over real HTTP the server answers it (Spring Security no longer
 * refuses unknown paths with its own 403 page), and a signed-out visitor still goes to the sign-in page.
 */
class NotFoundScreensTest extends KaribuTest {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    VapiIngest ingest;
    @Autowired
    BillingRuns runs;

    Samples samples;
    String suffix;
    Customer mine;
    long othersInvoice;

    @BeforeEach
    void twoCustomersOneWithAnInvoice() {
        samples = Samples.fresh().onDay(LocalDate.of(2013, 2, 12));
        suffix = UUID.randomUUID().toString().substring(0, 8);
        Customer other = fixtures.customer(samples.id(Samples.ACME));
        mine = fixtures.customer(samples.id(Samples.GLOBEX));
        users.create("nf-" + suffix, "Nina Nowhere", "password-123", Role.CUSTOMER_ADMIN, mine.id());
        users.create("nf-finance-" + suffix, "Fred Finance", "password-123", Role.FINANCE_ADMIN, null);
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));
        long run = runs.start(YearMonth.of(2013, 2), other, "test");
        runs.runQueued();
        othersInvoice = runs.get(run).results().getFirst().invoiceId();
    }

    /**
     * Opens an address as a browser request does: through the server's router. ({@code UI.navigate}
     * hands an address no server route knows to the client-side router, which Karibu has not.)
     */
    static void open(String path, QueryParameters query) {
        UI ui = UI.getCurrent();
        ui.getInternals().getRouter().navigate(ui, new Location(path, query), NavigationTrigger.ROUTER_LINK);
    }

    static void open(String path) {
        open(path, QueryParameters.empty());
    }

    /** What the page says, with the address it was asked for blanked out. */
    static String notFoundText(String path) {
        assertThat(_get(H2.class).getText()).isEqualTo("Page not found");
        assertThat(UI.getCurrent().getInternals().getActiveRouterTargetsChain())
                .as("shown inside the app's layout").anyMatch(MainLayout.class::isInstance);
        String text = _get(H2.class).getParent().orElseThrow().getElement().getTextRecursively();
        assertThat(text).contains("/" + path);
        return text.replace(path, "<path>");
    }

    @Test
    void aCustomerTypingAnUnknownAddressSeesNotFoundInTheLayoutWithALinkToTheDashboard() {
        loginAs("nf-" + suffix);
        open("nonexistent");
        assertThat(notFoundText("nonexistent")).contains("There is nothing at /<path>");
        assertThat(_get(Anchor.class, spec -> spec.withText("Back to the dashboard")).getHref()).isEqualTo("dashboard");
    }

    @Test
    void financeTypingAnUnknownConsoleAddressSeesNotFoundWithALinkToTheOverview() {
        loginAs("nf-finance-" + suffix);
        open("admin/nonexistent");
        notFoundText("admin/nonexistent");
        assertThat(_get(Anchor.class, spec -> spec.withText("Back to the overview")).getHref()).isEqualTo("admin/overview");
    }

    @Test
    void anotherCustomersInvoiceReadsExactlyLikeAnInvoiceThatDoesNotExist() {
        loginAs("nf-" + suffix);
        open("invoices/999999999");
        String missing = notFoundText("invoices/999999999");
        open("invoices/" + othersInvoice);
        assertThat(notFoundText("invoices/" + othersInvoice)).isEqualTo(missing);
        // also when the other customer is named in the address
        open("invoices/" + othersInvoice, QueryParameters.of("customer", samples.id(Samples.ACME)));
        assertThat(notFoundText("invoices/" + othersInvoice)).isEqualTo(missing);
    }

    @Test
    void anotherCustomersCallReadsExactlyLikeACallThatDoesNotExist() {
        loginAs("nf-" + suffix);
        String unknown = UUID.randomUUID().toString();
        open("calls/" + unknown);
        String missing = notFoundText("calls/" + unknown);
        open("calls/" + samples.id(Samples.MAIN_CALL_ID));
        assertThat(notFoundText("calls/" + samples.id(Samples.MAIN_CALL_ID))).isEqualTo(missing);
    }

    @Test
    void aConsolePageReadsForACustomerExactlyLikeAPageThatDoesNotExist() {
        loginAs("nf-" + suffix);
        open("admin/nowhere");
        String missing = notFoundText("admin/nowhere");
        open("admin/billing");
        assertThat(notFoundText("admin/billing")).isEqualTo(missing);
    }

    @Test
    void overHttpTheAppAnswersUnknownAddressesForSignedInPeopleAndSendsOthersToSignIn() {
        Http http = new Http(port);
        for (String user : new String[] {"nf-" + suffix, "nf-finance-" + suffix}) {
            String session = http.signIn(user, "password-123");
            for (String path : new String[] {"/nonexistent", "/admin/nonexistent", "/invoices/" + othersInvoice}) {
                Http.Response page = http.get(path).header("Cookie", session).header("Accept", "text/html").send();
                assertThat(page.status()).as(user + " " + path).isIn(200, 404);
                assertThat(page.body()).as(user + " " + path).doesNotContain("Whitelabel", "Forbidden")
                        .contains("window.Vaadin");
            }
        }
        Http.Response anonymous = http.get("/nonexistent").header("Accept", "text/html").send();
        assertThat(anonymous.status()).isEqualTo(302);
    }
}
