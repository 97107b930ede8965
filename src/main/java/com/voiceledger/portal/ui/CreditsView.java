package com.voiceledger.portal.ui;

import com.voiceledger.customer.Customer;
import java.util.Optional;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.billing.BurnDown;
import com.voiceledger.billing.BurnDowns;
import com.voiceledger.rating.GrantBurnDowns;
import com.voiceledger.rating.UnitGrants;
import com.voiceledger.billing.CreditGrant;
import com.voiceledger.billing.CreditService;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.security.Role;
import com.voiceledger.ui.Chart;
import com.voiceledger.ui.Charts;
import com.voiceledger.ui.Formats;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** A customer's credit grants: balance (the sum of the ledger), expiry, and every entry. */
@Route("credits")
@PageTitle("Commitments & credits · VoiceLedger")
@Menu(title = "Commitments & credits", order = 30, icon = "vaadin:gift")
@RolesAllowed({Role.VIEWER, Role.ADMIN, Role.FINANCE})
class CreditsView extends VerticalLayout implements BeforeEnterObserver {

    private final CreditService credits;
    private final BurnDowns burnDowns;
    private final CustomerScope scope;
    final Grid<CreditGrant> grid = new Grid<>(CreditGrant.class, false);
    /** The customer's billing time zone: expiries and ledger entries are shown in it, labelled. */
    private java.time.ZoneId zone = java.time.ZoneOffset.UTC;
    private final Grid.Column<CreditGrant> expiresColumn;
    final VerticalLayout commitment = new VerticalLayout();
    @Nullable Chart burnDownChart;
    /** Included usage: one burn-down per grant in units (issue #30). */
    final VerticalLayout included = new VerticalLayout();
    final List<Chart> grantCharts = new java.util.ArrayList<>();
    private final GrantBurnDowns grantBurnDowns;

    CreditsView(CreditService credits, BurnDowns burnDowns, CustomerScope scope, GrantBurnDowns grantBurnDowns) {
        this.grantBurnDowns = grantBurnDowns;
        included.setPadding(false);
        this.credits = credits;
        this.burnDowns = burnDowns;
        this.scope = scope;
        commitment.setPadding(false);
        addClassName("vl-page");
        setSizeFull();
        grid.addColumn(CreditGrant::reason).setHeader("Credit").setFlexGrow(1);
        grid.addColumn(g -> Formats.money(g.amount(), g.currency())).setHeader("Granted").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(g -> Formats.money(g.balance(), g.currency())).setHeader("Left").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        expiresColumn = grid.addColumn(g -> g.expiresAt() == null ? "never" : Formats.instant(g.expiresAt(), zone)).setHeader("Expires")
                .setAutoWidth(true);
        grid.addColumn(CreditGrant::priority).setHeader("Priority").setAutoWidth(true);
        grid.setItemDetailsRenderer(new ComponentRenderer<>(grant -> new Pre(grant.entries().stream()
                .map(e -> Formats.instant(e.at(), zone) + "  " + e.kind() + "  " + Formats.money(e.amount(), grant.currency()) + "  " + e.note())
                .collect(Collectors.joining("\n")))));
        grid.setEmptyStateText("No credits. Finance grants credits (promotions, goodwill, prepaid banks).");
        grid.setSizeFull();
        add(new H2("Commitment"), commitment, new H2("Included usage"), included, new H2("Credits"), grid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<Customer> resolved = PortalCustomer.resolve(scope, event);
        if (resolved.isEmpty()) {
            return;
        }
        Customer customer = resolved.get();
        zone = customer.billingTimeZone();
        expiresColumn.setHeader(Formats.zoneLabel("Expires", zone));
        grid.setItems(credits.grants(customer.id()));
        commitment.removeAll();
        burnDowns.commitment(customer).ifPresentOrElse(this::showCommitment,
                () -> commitment.add(new Paragraph("Your contract has no commitment.")));
        included.removeAll();
        grantCharts.clear();
        List<GrantBurnDowns.GrantBurnDown> grants = grantBurnDowns.of(customer);
        if (grants.isEmpty()) {
            included.add(new Paragraph("Your contract includes no usage in units."));
        }
        grants.forEach(this::showGrant);
    }

    /** A grant's period as text (the figures) and as a chart: units drawn so far, the projection and the level. */
    private void showGrant(GrantBurnDowns.GrantBurnDown burnDown) {
        UnitGrants.Entitlement grant = burnDown.grant();
        String what = grant.layer() + " " + grant.provider() + " " + grant.model() + " " + grant.unit() + ", "
                + grant.granted().toPlainString() + " per " + grant.period().toLowerCase()
                + (grant.rolledOver().signum() > 0 ? " + " + grant.rolledOver().toPlainString() + " rolled over" : "");
        String outlook = burnDown.exhaustedOn() != null
                ? "At the current pace it is used up on " + burnDown.exhaustedOn() + "; units beyond it are billed."
                : "At the current pace " + burnDown.projectedUse().toPlainString() + " of "
                        + burnDown.level().toPlainString() + " will be used by " + burnDown.periodEnd().minusDays(1) + ".";
        var bar = new ProgressBar(0, 1, burnDown.level().signum() == 0 ? 0
                : Math.min(1, grant.used().doubleValue() / burnDown.level().doubleValue()));
        bar.getElement().setAttribute("aria-label", "Share of " + what + " used");
        List<Charts.Point> used = burnDown.daily().stream()
                .map(point -> new Charts.Point(point.day().toString(), point.cumulative())).toList();
        Charts.Point from = used.isEmpty() ? new Charts.Point(grant.periodStart().toString(), BigDecimal.ZERO)
                : used.getLast();
        List<Charts.Point> projected = List.of(from, new Charts.Point(burnDown.periodEnd().minusDays(1).toString(),
                burnDown.projectedUse()));
        Chart chart = new Chart(Charts.burnDown(used, projected, burnDown.level(),
                "Included " + burnDown.level().toPlainString() + " " + grant.unit(), Charts.Values.count(grant.unit())),
                "Burn-down of " + what + ": units used so far, projection and included level (the text above has "
                        + "the figures)");
        grantCharts.add(chart);
        included.add(new Paragraph(what + ", " + grant.periodStart() + " to " + burnDown.periodEnd().minusDays(1) + ": "
                + grant.used().toPlainString() + " used, " + grant.remaining().toPlainString() + " left."), bar,
                new Paragraph(outlook), chart);
    }

    private void showCommitment(BurnDown burnDown) {
        var bar = new ProgressBar(0, 1,
                burnDown.level().signum() == 0 ? 0 : Math.min(1, burnDown.usedToDate().doubleValue()
                        / burnDown.level().doubleValue()));
        bar.getElement().setAttribute("aria-label", "Share of the commitment used");
        String outlook = burnDown.exhaustedOn() != null
                ? "At the current pace it is used up on " + burnDown.exhaustedOn() + "."
                : "At the current pace " + Formats.money(burnDown.projectedUse(), burnDown.currency())
                        + " will be used by " + burnDown.periodEnd().minusDays(1) + ": a shortfall of "
                        + Formats.money(burnDown.projectedShortfall(), burnDown.currency()) + " would be trued up.";
        commitment.add(new Paragraph(burnDown.what() + ", " + burnDown.periodStart()
                        + " to " + burnDown.periodEnd().minusDays(1) + ": " + Formats.money(burnDown.usedToDate(),
                        burnDown.currency()) + " used, " + Formats.money(burnDown.remaining(), burnDown.currency())
                        + " left."), bar, new Paragraph(outlook), burnDownChart(burnDown));
    }

    /** The same figures as the text above, drawn: use so far, the projection, and the committed level. */
    private Chart burnDownChart(BurnDown burnDown) {
        List<Charts.Point> used = burnDown.daily().stream()
                .map(point -> new Charts.Point(point.day().toString(), point.cumulative())).toList();
        LocalDate lastDay = burnDown.periodEnd().minusDays(1);
        Charts.Point from = used.isEmpty() ? new Charts.Point(burnDown.periodStart().toString(), BigDecimal.ZERO)
                : used.getLast();
        List<Charts.Point> projected = List.of(from, new Charts.Point(lastDay.toString(), burnDown.projectedUse()));
        burnDownChart = new Chart(Charts.burnDown(used, projected, burnDown.level(),
                "Committed " + Formats.money(burnDown.level(), burnDown.currency()), Charts.Values.money(burnDown.currency())),
                "Commitment burn-down: use so far, projection and committed level (the text above has the figures)");
        return burnDownChart;
    }
}
