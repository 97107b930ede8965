package com.voiceledger.portal.ui;

import java.util.Optional;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.voiceledger.customer.Customer;
import com.voiceledger.guard.CostGuards;
import com.voiceledger.guard.Finding;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.security.Role;
import com.voiceledger.spendcap.Alert;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.spendcap.SpendStatus;
import com.voiceledger.ui.Formats;
import jakarta.annotation.security.RolesAllowed;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;

/**
 * Where money may be leaking: spend against the cap, this month's cost guard findings per rule with
 * the spend they wasted, the calls behind them, and every alert.
 */
@Route("guards")
@PageTitle("Spend & cost guards · VoiceLedger")
@Menu(title = "Spend & cost guards", order = 25, icon = "vaadin:shield")
@RolesAllowed({Role.VIEWER, Role.ADMIN, Role.FINANCE})
class CostGuardsView extends VerticalLayout implements BeforeEnterObserver {

    private final CostGuards guards;
    private final SpendCaps spendCaps;
    private final Alerts alerts;
    private final CustomerScope scope;
    private final Clock clock;
    final Paragraph spend = new Paragraph();
    private String currency = "USD";
    /** The customer's billing time zone: its own pages show every time in it, labelled. */
    private java.time.ZoneId zone = java.time.ZoneOffset.UTC;
    final Grid<CostGuards.RuleSummary> rules = new Grid<>(CostGuards.RuleSummary.class, false);
    final Grid<Finding> findings = new Grid<>(Finding.class, false);
    final Grid<Alert> alertGrid = new Grid<>(Alert.class, false);
    private final Grid.Column<Finding> timeColumn;
    private final Grid.Column<Alert> alertTimeColumn;

    CostGuardsView(CostGuards guards, SpendCaps spendCaps, Alerts alerts, CustomerScope scope, Clock clock) {
        this.guards = guards;
        this.spendCaps = spendCaps;
        this.alerts = alerts;
        this.scope = scope;
        this.clock = clock;
        addClassName("vl-page");
        rules.addColumn(r -> r.rule().title()).setHeader("Rule").setFlexGrow(1);
        rules.addColumn(CostGuards.RuleSummary::findings).setHeader("Calls").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        rules.addColumn(r -> Formats.money(r.wasted(), currency)).setHeader("Wasted spend (estimate)")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        rules.setAllRowsVisible(true);
        rules.setEmptyStateText("No cost guard fired this month.");
        timeColumn = findings.addColumn(f -> Formats.instant(f.callTime(), zone)).setHeader("Call time")
                .setAutoWidth(true).setFlexGrow(0);
        findings.addColumn(f -> f.rule().title()).setHeader("Rule").setAutoWidth(true);
        findings.addColumn(Finding::evidence).setHeader("Evidence").setWidth("20rem").setFlexGrow(3);
        findings.addColumn(f -> Formats.charge(f.wasted(), currency)).setHeader("Wasted").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        findings.addItemClickListener(click -> getUI().ifPresent(ui -> ui.navigate("calls/" + click.getItem().callId(),
                QueryParameters.empty())));
        findings.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        findings.setAllRowsVisible(true);
        alertTimeColumn = alertGrid.addColumn(a -> Formats.instant(a.createdAt(), zone)).setHeader("When")
                .setAutoWidth(true).setFlexGrow(0);
        alertGrid.addColumn(Alert::message).setHeader("Alert").setFlexGrow(1);
        alertGrid.addColumn(Alert::deliveryStatus).setHeader("Webhook").setAutoWidth(true);
        alertGrid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        alertGrid.setAllRowsVisible(true);
        alertGrid.setEmptyStateText("No alerts.");
        add(new H2("Spend & cost guards"), spend, new H3("Cost guards this month"), rules,
                new Paragraph("Click a finding to open the call."), findings, new H3("Alerts"), alertGrid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<Customer> resolved = PortalCustomer.resolve(scope, event);
        if (resolved.isEmpty()) {
            return;
        }
        Customer customer = resolved.get();
        currency = customer.currency();
        zone = customer.billingTimeZone();
        timeColumn.setHeader(Formats.zoneLabel("Call time", zone));
        alertTimeColumn.setHeader(Formats.zoneLabel("When", zone));
        SpendStatus status = spendCaps.status(customer);
        spend.setText(status.cap() == null
                ? "Spent " + Formats.money(status.spend(), status.currency()) + " this month; no spend cap."
                : "Spent " + Formats.money(status.spend(), status.currency()) + " of the "
                        + Formats.money(status.cap(), status.currency()) + " monthly cap (" + status.percent()
                        + " %, including calls in progress)."
                        + (status.suspended() ? " New calls are refused: the account is suspended." : ""));
        YearMonth month = YearMonth.now(clock.withZone(customer.billingTimeZone()));
        Instant from = month.atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant();
        rules.setItems(guards.summary(customer.id(), from, to));
        findings.setItems(guards.findings(customer.id(), from, to, null));
        alertGrid.setItems(alerts.of(customer.id(), 100));
    }

}
