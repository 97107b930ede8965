package com.voiceledger.portal.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.billing.CreditGrant;
import com.voiceledger.billing.CreditService;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.security.Role;
import jakarta.annotation.security.RolesAllowed;
import java.util.stream.Collectors;

/** A customer's credit grants: balance (the sum of the ledger), expiry, and every entry. */
@Route("credits")
@PageTitle("Credits · VoiceLedger")
@Menu(title = "Credits", order = 30, icon = "vaadin:gift")
@RolesAllowed({Role.VIEWER, Role.ADMIN})
class CreditsView extends VerticalLayout implements BeforeEnterObserver {

    private final CreditService credits;
    private final CustomerScope scope;
    final Grid<CreditGrant> grid = new Grid<>(CreditGrant.class, false);

    CreditsView(CreditService credits, CustomerScope scope) {
        this.credits = credits;
        this.scope = scope;
        addClassName("vl-page");
        setSizeFull();
        grid.addColumn(CreditGrant::reason).setHeader("Credit").setFlexGrow(1);
        grid.addColumn(g -> Formats.charge(g.amount(), g.currency())).setHeader("Granted").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(g -> Formats.charge(g.balance(), g.currency())).setHeader("Left").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(g -> g.expiresAt() == null ? "never" : g.expiresAt().toString()).setHeader("Expires")
                .setAutoWidth(true);
        grid.addColumn(CreditGrant::priority).setHeader("Priority").setAutoWidth(true);
        grid.setItemDetailsRenderer(new ComponentRenderer<>(grant -> new Pre(grant.entries().stream()
                .map(e -> e.at() + "  " + e.kind() + "  " + e.amount().toPlainString() + "  " + e.note())
                .collect(Collectors.joining("\n")))));
        grid.setEmptyStateText("No credits. Finance grants credits (promotions, goodwill, prepaid banks).");
        grid.setSizeFull();
        add(new H2("Credits"), grid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        grid.setItems(credits.grants(scope.resolve(null).id()));
    }
}
