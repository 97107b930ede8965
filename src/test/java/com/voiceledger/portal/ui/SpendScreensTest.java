package com.voiceledger.portal.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.QueryParameters;
import com.voiceledger.contract.Commitment;
import com.voiceledger.contract.CommitmentPeriod;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.contract.UnitGrant;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.security.Role;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The spend, cost guard, settings and reconciliation screens, as their users reach them. */
class SpendScreensTest extends KaribuTest {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    VapiIngest ingest;
    @Autowired
    Clock clock;
    @Autowired
    ContractService contracts;

    Samples samples;
    Customer globex;
    String suffix;

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        samples = Samples.fresh().onDay(LocalDate.now(clock));
        globex = fixtures.customer(samples.id(Samples.GLOBEX));
        users.create("admin-" + suffix, "Ada Admin", "password-123", Role.CUSTOMER_ADMIN, globex.id());
        users.create("viewer-" + suffix, "Vic Viewer", "password-123", Role.CUSTOMER_VIEWER, globex.id());
        users.create("fin-" + suffix, "Finn Finance", "password-123", Role.FINANCE_ADMIN, null);
        ingest.ingest("vapi", "application/json", Map.of(),
                samples.text(Samples.EOCR_SILENCE).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCustomerSeesItsSpendAndTheSilenceLoopFinding() {
        loginAs("viewer-" + suffix);
        UI.getCurrent().navigate("guards");
        assertThat(_get(H2.class).getText()).isEqualTo("Spend & cost guards");
        assertThat(_find(Paragraph.class).stream().map(Paragraph::getText)).anyMatch(t -> t.startsWith("Spent "));
        CostGuardsView view = _get(CostGuardsView.class);
        assertThat(view.rules.getListDataView().getItems().map(r -> r.rule().title())).contains("Silence loop");
        assertThat(view.findings.getListDataView().getItems().map(f -> f.evidence()))
                .anyMatch(evidence -> evidence.startsWith("20 empty user turns"));
    }

    @Test
    void theDashboardShowsThisMonthAgainstLastMonthAndWhereTheMoneyGoes() {
        loginAs("viewer-" + suffix);
        UI.getCurrent().navigate("");
        DashboardView dashboard = _get(DashboardView.class);
        assertThat(dashboard.cards.getChildren().count()).isGreaterThanOrEqualTo(6);
        assertThat(dashboard.daily.getListDataView().getItems().map(row -> row.getKey()))
                .contains(LocalDate.now(clock));
        assertThat(dashboard.byAssistant.getListDataView().getItems().map(row -> row.key()))
                .contains(samples.id("d2e3f4a5-6b7c-4d8e-9f0a-1b2c3d4e5f60"));
        assertThat(dashboard.dailyChart.getElement().getProperty("options"))
                .contains("\"stacked\":true").contains("\"name\":\"llm\"");
        assertThat(dashboard.compositionChart.getElement().getProperty("options")).contains("\"type\":\"donut\"");
        assertThat(dashboard.assistantChart.getElement().getProperty("options"))
                .contains(samples.id("d2e3f4a5-6b7c-4d8e-9f0a-1b2c3d4e5f60"));
    }

    @Test
    void theAssistantFilterInTheAddressNarrowsChartsAndTablesToThatAssistant() {
        String assistantId = samples.id("d2e3f4a5-6b7c-4d8e-9f0a-1b2c3d4e5f60");
        loginAs("viewer-" + suffix);

        UI.getCurrent().navigate("dashboard", QueryParameters.of("assistant", assistantId));
        DashboardView dashboard = _get(DashboardView.class);
        assertThat(dashboard.assistant.getValue()).isEqualTo(assistantId);
        assertThat(dashboard.byAssistant.getListDataView().getItems().map(row -> row.key())).containsExactly(assistantId);
        assertThat(dashboard.daily.getListDataView().getItems()).isNotEmpty();
        assertThat(dashboard.filterNote.getText()).contains(assistantId);

        assertThat(dashboard.cards.getChildren().count()).as("no cap or commitment card for one assistant")
                .isEqualTo(5);

        UI.getCurrent().navigate("dashboard", QueryParameters.of("assistant", "someone-elses-assistant"));
        dashboard = _get(DashboardView.class);
        assertThat(dashboard.daily.getListDataView().getItems()).isEmpty();
        assertThat(dashboard.byModel.getListDataView().getItems()).isEmpty();
    }

    @Test
    void anAdminAddsAPersonToItsTeamAndRemovesThem() {
        loginAs("admin-" + suffix);
        UI.getCurrent().navigate("settings");
        SettingsView settings = _get(SettingsView.class);
        settings.newLogin.setValue("new-" + suffix);
        settings.newName.setValue("Nia New");
        settings.newPassword.setValue("password-123");
        _click(settings.addPerson);
        assertThat(settings.people.getListDataView().getItems().map(account -> account.username()))
                .contains("new-" + suffix, "admin-" + suffix, "viewer-" + suffix);

        List<com.voiceledger.security.UserAccount> rows = settings.people.getListDataView().getItems().toList();
        int newcomer = rows.indexOf(rows.stream().filter(account -> account.username().equals("new-" + suffix))
                .findFirst().orElseThrow());
        var actions = (com.vaadin.flow.component.orderedlayout.HorizontalLayout) com.github.mvysny.kaributesting.v10
                .GridKt._getCellComponent(settings.people, newcomer, "actions");
        _click((Button) actions.getComponentAt(1));
        assertThat(settings.people.getListDataView().getItems().count()).isEqualTo(2);
    }

    @Test
    void aCustomPeriodInTheAddressIsShownAndComparedWithTheDaysBeforeIt() {
        LocalDate today = LocalDate.now(clock);
        loginAs("viewer-" + suffix);

        UI.getCurrent().navigate("dashboard", QueryParameters.simple(Map.of("from", today.minusDays(2).toString(),
                "to", today.toString())));
        DashboardView dashboard = _get(DashboardView.class);
        assertThat(dashboard.period.getValue()).isEqualTo(DashboardView.PeriodOption.CUSTOM);
        assertThat(dashboard.from.isVisible()).isTrue();
        assertThat(dashboard.from.getValue()).isEqualTo(today.minusDays(2));
        assertThat(dashboard.to.getValue()).isEqualTo(today);
        assertThat(dashboard.daily.getListDataView().getItems().map(row -> row.getKey())).contains(today);
        assertThat(dashboard.cards.getChildren().map(card -> card.getElement().getTextRecursively()))
                .anyMatch(text -> text.contains("previous 3 days"));
        assertThat(dashboard.durations.getListDataView().getItems().mapToLong(RatingQueries.DurationCount::calls).sum())
                .isPositive();
        assertThat(dashboard.durationChart.getElement().getProperty("options")).contains("20 min +");

        UI.getCurrent().navigate("dashboard", QueryParameters.simple(Map.of("from", today.plusDays(5).toString(),
                "to", today.toString())));
        dashboard = _get(DashboardView.class);
        assertThat(dashboard.period.getValue().range()).as("a period ending before it starts falls back to this month")
                .isEqualTo(com.voiceledger.shared.DayRange.of(java.time.YearMonth.from(today)));
    }

    @Test
    void theCommitmentScreenDrawsTheBurnDownAgainstTheCommittedLevel() {
        contracts.add(globex, LocalDate.now(clock).withDayOfMonth(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                null, new ContractTerms(PricingModel.RATE_CARD, Map.of(), List.of(), null, BigDecimal.ZERO, 60,
                        BigDecimal.ZERO, new Commitment(new BigDecimal("750"), CommitmentPeriod.MONTH, false),
                        BigDecimal.ONE, null), "committed", "test");
        loginAs("viewer-" + suffix);
        UI.getCurrent().navigate("credits");

        CreditsView view = _get(CreditsView.class);
        assertThat(view.burnDownChart).isNotNull();
        assertThat(view.burnDownChart.getElement().getProperty("options"))
                .contains("\"name\":\"Used\"").contains("\"name\":\"Projected\"")
                .contains("\"y\":750").contains("Committed 750.00 USD");
    }

    @Test
    void theCommitmentScreenDrawsEachGrantsBurnDownAgainstWhatItIncludes() {
        contracts.add(globex, LocalDate.now(clock).withDayOfMonth(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                null, new ContractTerms(PricingModel.RATE_CARD, Map.of(), List.of(), null, BigDecimal.ZERO, 60,
                        BigDecimal.ZERO, null, BigDecimal.ONE, null, false, null, List.of(new UnitGrant("platform",
                                "vapi", "*", "minute", new BigDecimal("100"), CommitmentPeriod.MONTH, null))),
                "included minutes", "test");
        Samples call = Samples.fresh().onDay(LocalDate.now(clock));
        ingest.ingest("vapi", "application/json", Map.of(), call.text(Samples.EOCR)
                .replace(call.id(Samples.ACME), globex.externalId()).getBytes(StandardCharsets.UTF_8));
        loginAs("viewer-" + suffix);
        UI.getCurrent().navigate("credits");

        CreditsView view = _get(CreditsView.class);
        assertThat(view.grantCharts).singleElement().satisfies(chart -> assertThat(chart.getElement()
                .getProperty("options")).contains("\"name\":\"Used\"").contains("\"name\":\"Projected\"")
                .contains("\"y\":100").contains("Included 100 minute"));
        // the sample call's 3.2 platform minutes drawn from the 100 included
        assertThat(view.included.getElement().getTextRecursively()).contains("platform vapi * minute, 100 per month")
                .contains("3.2 used, 96.8 left.");
    }

    @Test
    void onlyACustomerAdminOpensSettings() {
        loginAs("viewer-" + suffix);
        UI.getCurrent().navigate("settings");
        assertThat(_find(TextField.class, spec -> spec.withLabel("Your own monthly cap"))).isEmpty();
        loginAs("admin-" + suffix);
        UI.getCurrent().navigate("settings");
        assertThat(_find(TextField.class, spec -> spec.withLabel("Your own monthly cap"))).hasSize(1);
    }

    @Test
    void financeOpensReconciliation() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/reconciliation");
        assertThat(_get(H2.class).getText()).isEqualTo("Reconciliation with Twilio");
    }

    @Test
    void anAdminSeesTheContractsLimitsAndSetsAnAssistantBudgetInSettings() {
        contracts.add(globex, java.time.Instant.parse("2026-01-01T00:00:00Z"), null, new ContractTerms(
                PricingModel.PER_MINUTE, Map.of(), List.of(), new BigDecimal("0.10"), null, 60, null, null, null, null,
                false, new com.voiceledger.contract.ContractLimits(5, 2, 900, List.of("openai/gpt-4o"))),
                "limits on screen", "test");
        loginAs("admin-" + suffix);
        UI.getCurrent().navigate("settings");
        LimitsPanel limits = _get(LimitsPanel.class);
        assertThat(limits.allowed.getText()).isEqualTo("Your contract allows 5 calls at once; 2 at once per assistant; "
                + "calls up to 900 seconds; the models openai/gpt-4o.");
        assertThat(limits.inProgress.getText()).startsWith("Calls in progress now: 0 of 5;");

        limits.assistant.setValue("sales-" + suffix);
        limits.amount.setValue("40.00");
        _click(limits.save);
        assertThat(limits.budgets.getListDataView().getItems().map(b -> b.assistantId() + " " + b.monthlyAmount()))
                .containsExactly("sales-" + suffix + " 40.00");

        limits.amount.setValue("forty");
        _click(limits.save);
        assertThat(limits.budgets.getListDataView().getItems().map(b -> b.monthlyAmount().toPlainString()))
                .as("a wrong amount changes nothing").containsExactly("40.00");
    }
}
