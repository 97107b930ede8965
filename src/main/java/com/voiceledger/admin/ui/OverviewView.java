package com.voiceledger.admin.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.admin.FinanceOverview;
import com.voiceledger.admin.FinanceOverview.Standing;
import com.voiceledger.security.Role;
import com.voiceledger.ui.Formats;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.List;

/**
 * Finance's first page: the queues that need a person (each card links to its screen) and every
 * customer's month so far, those near their cap or short of their commitment first.
 */
@Route("admin/overview")
@PageTitle("Overview · VoiceLedger")
@Menu(title = "Overview", order = 5, icon = "vaadin:dashboard")
@RolesAllowed(Role.FINANCE)
class OverviewView extends VerticalLayout {

    final Div queues = new Div();
    final Grid<Standing> customers = new Grid<>(Standing.class, false);

    OverviewView(FinanceOverview overview) {
        addClassName("vl-page");
        setSizeFull();
        queues.addClassName("vl-cards");
        FinanceOverview.Queues counts = overview.queues();
        queues.add(queueCard("Failed webhooks", counts.failedWebhooks(), "admin/webhooks", "inspect and replay"),
                queueCard("Unattributed calls", counts.unattributedCalls(), "admin/unattributed", "map them to a customer"),
                queueCard("Unpriced usage", counts.unpricedItems(), "admin/unpriced", "add a rate, then re-rate"),
                queueCard("Failed Stripe pushes", counts.failedStripePushes(), "admin/billing", "retry from Billing"),
                queueCard("Alerts this month", counts.alertsThisMonth(), "admin/alerts", "caps, guards and margins"));

        customers.addColumn(standing -> standing.customer().name()).setHeader("Customer").setAutoWidth(true)
                .setFlexGrow(1);
        customers.addColumn(standing -> Formats.total(standing.spend().spend(), standing.spend().currency()))
                .setHeader("Spend this month").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(standing -> standing.spend().cap() == null ? "no cap"
                        : Formats.total(standing.spend().cap(), standing.spend().currency()) + " (" + standing.spend().percent()
                                + " %)")
                .setHeader("Cap (used)").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(standing -> standing.commitment() == null ? "–"
                        : Formats.total(standing.commitment().level(), standing.commitment().currency()))
                .setHeader("Commitment").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(standing -> standing.commitment() == null ? "–"
                        : Formats.total(standing.commitment().projectedShortfall(), standing.commitment().currency()))
                .setHeader("Projected shortfall").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(OverviewView::attention).setHeader("Attention").setAutoWidth(true);
        customers.setPartNameGenerator(standing -> standing.needsAttention() ? "vl-loss" : null);
        customers.setEmptyStateText("No customers yet: create one under Customers.");
        // a row opens that customer's 360 page
        customers.addItemClickListener(click -> click.getSource().getUI().ifPresent(ui ->
                ui.navigate("admin/customers/" + click.getItem().customer().externalId())));
        customers.setItems(overview.standings());
        customers.setSizeFull();
        add(new H2("Overview"), new H3("Needs a person"), queues, new H3("Customers this month"), customers);
    }

    static String attention(Standing standing) {
        List<String> flags = new ArrayList<>();
        if (standing.spend().suspended()) {
            flags.add("suspended");
        } else if (standing.nearCap()) {
            flags.add("near cap");
        }
        if (standing.commitmentAtRisk()) {
            flags.add("commitment short");
        }
        return String.join(", ", flags);
    }

    private static Anchor queueCard(String label, long count, String route, String action) {
        Span caption = new Span(label);
        caption.addClassName("vl-muted");
        Span figure = new Span(Long.toString(count));
        figure.addClassName("vl-figure");
        Span detail = new Span(count == 0 ? "nothing waiting" : action);
        detail.addClassName("vl-muted");
        Anchor card = new Anchor(route, caption, figure, detail);
        card.addClassName("vl-card");
        card.getElement().setAttribute("router-link", true);
        // no aria-label: the card's own text ("Unpriced usage 12 …") is its name, as a voice user says it
        return card;
    }
}
