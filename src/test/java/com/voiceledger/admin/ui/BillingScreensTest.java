package com.voiceledger.admin.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.billing.InvoiceLine;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.ratecard.NewRateCardVersion;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.security.Role;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Finance closes a month in the console; the customer reads the invoice and its line explanations. */
class BillingScreensTest extends KaribuTest {

    @Autowired
    CustomerService customers;
    @Autowired
    VapiIngest ingest;
    @Autowired
    RateCardService rateCard;
    @Autowired
    BillingRuns runs;

    Samples samples;
    Customer customer;
    String suffix;
    YearMonth month;

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        // every other month: a test's fence (the 2nd of the month after its own) must never fall inside the
        // month of another test of this class, or that test's calls are priced by the fence (seen: 2012-03 and -04)
        month = YearMonth.of(2010, 1).plusMonths(2L * Math.floorMod(suffix.hashCode(), 40));
        samples = Samples.fresh().onDay(month.atDay(12));
        customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Screen Co " + suffix, "USD", "UTC"));
        users.create("cust-" + suffix, "Cora Customer", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        users.create("fin-" + suffix, "Finn Finance", "password-123", Role.FINANCE_ADMIN, null);
        rateCard.publish(new NewRateCardVersion(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(), "USD",
                "screens " + suffix, java.util.stream.Stream.concat(java.util.stream.Stream.of(new RateEntry("platform", "vapi", "*", "minute",
                        new BigDecimal("0.05"))), com.voiceledger.support.FreeRates.entries("platform").stream()).toList()),
                "test");
        rateCard.publish(new NewRateCardVersion(month.plusMonths(1).atDay(2).atStartOfDay(ZoneOffset.UTC).toInstant(),
                "USD", "fence " + suffix, List.of(new RateEntry("other", "fence", "*", "token", BigDecimal.ZERO))), "test");
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void financeClosesTheMonthAndTheCustomerReadsTheInvoiceLineByLine() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/billing");
        BillingView billing = _get(BillingView.class);
        billing.month.setItems(List.of(month));
        billing.month.setValue(month);
        billing.customer.setValue(customer);
        _click(_get(Button.class, spec -> spec.withText("Close month")));
        runs.runQueued();
        UI.getCurrent().navigate("admin/billing");
        billing = _get(BillingView.class);
        billing.month.setItems(List.of(month));
        billing.month.setValue(month);
        assertThat(billing.invoiceGrid.getListDataView().getItems().filter(i -> i.customerId().equals(customer.id())))
                .singleElement().satisfies(invoice -> assertThat(invoice.total()).isEqualByComparingTo("0.16"));

        loginAs("cust-" + suffix);
        UI.getCurrent().navigate("invoices");
        @SuppressWarnings("unchecked")
        Grid<com.voiceledger.billing.Invoice> list = _get(Grid.class);
        assertThat(GridKt._size(list)).isEqualTo(1);
        assertThat(_find(Paragraph.class).stream().map(Paragraph::getText)).anyMatch(text -> text.startsWith("Upcoming invoice"));
        UI.getCurrent().navigate("invoices/" + GridKt._get(list, 0).id());
        assertThat(_get(H2.class).getText()).startsWith("Invoice VL-");
        @SuppressWarnings("unchecked")
        Grid<InvoiceLine> lines = _get(Grid.class);
        assertThat(lines.getListDataView().getItems().map(l -> l.description() + " = " + l.amount()))
                .contains("platform vapi normal minute = 0.16");
        InvoiceLine platform = lines.getListDataView().getItems()
                .filter(l -> l.description().startsWith("platform")).findFirst().orElseThrow();
        assertThat(platform.explanation().get("callsLink").toString()).contains("from=");
    }

    @Test
    void financeReadsTheMarginOfTheMonthAndOpensACustomersWorstCalls() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/margins");
        MarginView view = _get(MarginView.class);
        view.month.setItems(List.of(month));
        view.month.setValue(month);
        var row = view.grid.getListDataView().getItems().filter(r -> r.key().equals(customer.id().toString()))
                .findFirst().orElseThrow();
        // platform 3.2 × 0.05 = 0.16 charged against the sample's 0.338285 of provider cost
        assertThat(row.charge()).isEqualByComparingTo("0.16");
        assertThat(row.margin()).isEqualByComparingTo("-0.1783");
        assertThat(view.chart.getElement().getProperty("options")).contains("-0.1783");
        com.github.mvysny.kaributesting.v10.GridKt._clickItem(view.grid, view.grid.getListDataView().getItems().toList()
                .indexOf(row));
        assertThat(view.calls.isVisible()).isTrue();
        assertThat(GridKt._size(view.calls)).isEqualTo(1);
    }

    @Test
    void financeSeesEveryAlertIncludingMarginOnes() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/alerts");
        AlertsView view = _get(AlertsView.class);
        // the month's platform-only card charges 0.16 against 0.338285 of cost: a loss, alerted to finance
        assertThat(view.grid.getListDataView().getItems().filter(a -> a.customerId() == customer.id().value())
                .map(a -> a.kind())).contains("MARGIN_MONTH");
    }

    @Test
    void aCustomerCannotOpenAnotherCustomersInvoiceOrTheBillingConsole() {
        Customer other = customers.create(NewCustomer.parse("other-" + suffix, "Other", "USD", "UTC"));
        users.create("other-" + suffix, "Otto Other", "password-123", Role.CUSTOMER_VIEWER, other.id());
        long run = runs.start(month, customer, "test");
        runs.runQueued();
        long invoiceId = runs.get(run).results().getFirst().invoiceId();
        loginAs("other-" + suffix);
        UI.getCurrent().navigate("invoices/" + invoiceId);
        assertThat(_get(H2.class).getText()).isEqualTo("Page not found");
        UI.getCurrent().navigate("admin/billing");
        assertThat(_find(BillingView.class)).isEmpty();
    }
}
