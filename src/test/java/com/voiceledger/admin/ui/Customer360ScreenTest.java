package com.voiceledger.admin.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.QueryParameters;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.usage.CallSummary;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Finance's page about one customer, and looking at the customer's own portal through its eyes. */
class Customer360ScreenTest extends KaribuTest {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    VapiIngest ingest;
    @Autowired
    Clock clock;

    Samples samples;
    Customer acme;
    Customer globex;
    String suffix;

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        samples = Samples.fresh().onDay(LocalDate.now(clock));
        acme = fixtures.customer(samples.id(Samples.ACME));
        globex = fixtures.customer(samples.id(Samples.GLOBEX));
        users.create("fin-" + suffix, "Finn Finance", "password-123", Role.FINANCE_ADMIN, null);
        users.create("globex-" + suffix, "Gil Globex", "password-123", Role.CUSTOMER_ADMIN, globex.id());
        for (String sample : List.of(Samples.EOCR, Samples.EOCR_SILENCE)) {
            ingest.ingest("vapi", "application/json", Map.of(), samples.text(sample).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> menu() {
        return _find(SideNavItem.class).stream().map(SideNavItem::getLabel).toList();
    }

    @Test
    void financeSeesACustomersUsageContractsInvoicesCreditsAlertsAndAuditOnOnePage() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/customers/" + acme.externalId());

        Customer360View view = _get(Customer360View.class);
        assertThat(view.title.getText()).isEqualTo(acme.name());
        assertThat(view.usageGrid.getListDataView().getItems().mapToLong(month -> month.calls()).sum()).isEqualTo(1);
        assertThat(view.usageGrid.getListDataView().getItems().findFirst().orElseThrow().providerCost())
                .as("finance sees the provider's cost").isNotNull();
        assertThat(view.contractGrid.getEmptyStateText()).contains("list prices");
        assertThat(view.facts.getElement().getTextRecursively()).contains(acme.externalId(), "admitted");
    }

    @Autowired
    com.voiceledger.billing.InvoiceIssuing issuing;
    @Autowired
    com.voiceledger.contract.ContractService contracts;

    /**
     * Issue 24: a customer onboarded with a contract that began two months ago gets a draft for each month,
     * each waiting a full grace period from now; the later month says on the 360 page what it waits for.
     */
    @Test
    void financeSeesOnTheBillingCalendarThatAMonthWaitsForTheEarlierOneAndWhenThatFinalizes() {
        java.time.YearMonth now = java.time.YearMonth.now(clock.withZone(java.time.ZoneOffset.UTC));
        Customer onboarded = fixtures.customer("onboarded-" + suffix);
        contracts.add(onboarded, now.minusMonths(2).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                .plus(java.time.Duration.ofDays(1)), null, com.voiceledger.contract.ContractTerms.listPrices(),
                "onboarding with history", "test");
        issuing.tick(List.of(onboarded.id()));
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/customers/" + onboarded.externalId());

        Grid<com.voiceledger.billing.CalendarMonth> calendar = _get(Customer360View.class).billingCalendar.calendar;
        java.time.ZoneId billing = onboarded.billingTimeZone();
        String earlier = now.minusMonths(2).getMonth().getDisplayName(java.time.format.TextStyle.FULL,
                java.util.Locale.ENGLISH);
        // newest first: the month in progress, last month (waits), the month before (finalizes a day from now)
        assertThat(String.join(" | ", GridKt._getFormattedRow(calendar, 1)))
                .contains("DRAFT", "waits for " + earlier, "it finalizes ", billing.getId());
        assertThat(String.join(" | ", GridKt._getFormattedRow(calendar, 2)))
                .contains("DRAFT", "finalizes ", billing.getId()).doesNotContain("waits for");
    }

    @Test
    void viewingAsTheCustomerShowsItsPortalReadOnlyUnderABannerUntilFinanceGoesBack() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/customers/" + globex.externalId());
        _click(_get(Customer360View.class).viewAs);
        String banner = "Viewing as " + globex.name() + " (read-only)";

        assertThat(_get(H2.class).getText()).isEqualTo("Dashboard");
        assertThat(_find(Span.class, spec -> spec.withText(banner))).hasSize(1);
        assertThat(menu()).contains("Dashboard", "Calls", "Invoices").doesNotContain("Customers", "Overview", "Settings");

        UI.getCurrent().navigate("calls");
        @SuppressWarnings("unchecked")
        Grid<CallSummary> calls = _get(Grid.class);
        assertThat(GridKt._size(calls)).isEqualTo(1);
        assertThat(GridKt._get(calls, 0).id()).isEqualTo(samples.id(Samples.SILENCE_CALL_ID));

        _click(_get(Button.class, spec -> spec.withText("Back to finance")));
        assertThat(_get(Customer360View.class).title.getText()).isEqualTo(globex.name());
        assertThat(_find(Span.class, spec -> spec.withText(banner))).isEmpty();
        assertThat(menu()).contains("Customers", "Overview").doesNotContain("Dashboard");
    }

    @Test
    void financeOpeningACustomerPageWithoutChoosingACustomerIsSentToTheCustomerList() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("dashboard");
        assertThat(_get(H2.class).getText()).isEqualTo("Customers");
    }

    @Test
    void aCustomerCannotOpenAnotherCustomers360NorWidenItsViewByTheAddress() {
        loginAs("globex-" + suffix);
        UI.getCurrent().navigate("admin/customers/" + acme.externalId());
        assertThat(_find(Customer360View.class)).isEmpty();

        UI.getCurrent().navigate("dashboard", QueryParameters.of("customer", acme.externalId()));
        @SuppressWarnings("unchecked")
        ComboBox<String> assistants = _get(ComboBox.class, spec -> spec.withLabel("Assistant"));
        assertThat(assistants.getListDataView().getItems())
                .contains(samples.id("d2e3f4a5-6b7c-4d8e-9f0a-1b2c3d4e5f60"))
                .doesNotContain(samples.id("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13"));
    }

    @Test
    void financeComparesAMonthUnderOtherTermsAndOffersItToTheCustomerWhoThenSeesIt() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/what-if", QueryParameters.of("customer", globex.externalId()));
        WhatIfView view = _get(WhatIfView.class);
        view.month.setValue(java.time.YearMonth.now(clock));
        view.contract.setValue(view.contract.getListDataView().getItems()
                .filter(option -> option.label().startsWith("No contract")).findFirst().orElseThrow());
        _click(view.compare);
        assertThat(_find(com.voiceledger.ui.WhatIfComparisonPanel.class)).hasSize(1);
        assertThat(view.offer.isEnabled()).isTrue();
        view.note.setValue("list prices, no commitment");
        _click(view.offer);

        loginAs("globex-" + suffix);
        UI.getCurrent().navigate("offers");
        assertThat(_find(com.vaadin.flow.component.html.H3.class).stream().map(h -> h.getText()))
                .containsExactly("list prices");
        assertThat(_find(com.voiceledger.ui.WhatIfComparisonPanel.class)).hasSize(1);
    }

    @Test
    void aCustomerWithoutOffersIsToldWhatTheyAreFor() {
        loginAs("globex-" + suffix);
        UI.getCurrent().navigate("offers");
        assertThat(_find(com.vaadin.flow.component.html.Paragraph.class).stream().map(p -> p.getText()))
                .anyMatch(text -> text.startsWith("No offers yet"));
    }

    @Test
    void anUnknownCustomerSaysSoInsteadOfFailing() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/customers/nobody-" + suffix);
        assertThat(_get(H2.class).getText()).isEqualTo("No customer nobody-" + suffix);
    }
}
