package com.voiceledger.portal.ui;

import java.util.Optional;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.customer.Customer;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.security.Role;
import com.voiceledger.stripe.InvoicePush;
import com.voiceledger.stripe.StripePushes;
import com.voiceledger.ui.Formats;
import jakarta.annotation.security.RolesAllowed;

/** A customer's invoices: the month in progress (always current), drafts (with when they finalize) and final ones. */
@Route("invoices")
@PageTitle("Invoices · VoiceLedger")
@Menu(title = "Invoices", order = 20, icon = "vaadin:invoice")
@RolesAllowed({Role.VIEWER, Role.ADMIN, Role.FINANCE})
class InvoicesView extends VerticalLayout implements BeforeEnterObserver {

    private final InvoiceService invoices;
    private final StripePushes stripe;
    private final CustomerScope scope;
    final Grid<Invoice> grid = new Grid<>(Invoice.class, false);
    private final Paragraph upcoming = new Paragraph();
    private String linkSuffix = "";
    private java.time.ZoneId zone = java.time.ZoneOffset.UTC;

    InvoicesView(InvoiceService invoices, StripePushes stripe, CustomerScope scope) {
        this.invoices = invoices;
        this.stripe = stripe;
        this.scope = scope;
        addClassName("vl-page");
        setSizeFull();
        grid.addColumn(Invoice::number).setHeader("Invoice").setAutoWidth(true);
        grid.addColumn(Invoice::month).setHeader("Month").setAutoWidth(true);
        grid.addColumn(i -> Formats.money(i.subtotal(), i.currency())).setHeader("Subtotal")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(i -> Formats.money(i.credits(), i.currency())).setHeader("Credits")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(i -> Formats.money(i.total(), i.currency())).setHeader("Total")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(i -> i.isFinal() ? "final" : i.status().equals(Invoice.DRAFT) ? "draft, finalizes "
                + Formats.instant(i.finalizesAt(), zone) + " " + zone.getId() : "draft, in review").setHeader("Status")
                .setAutoWidth(true);
        grid.addColumn(i -> stripe.status(i.id()).map(InvoicePush::paymentStatus).orElse("–")).setHeader("Payment")
                .setAutoWidth(true);
        grid.setEmptyStateText("No invoice yet: a month becomes a draft when it ends, then final after its grace period.");
        grid.addItemClickListener(click -> click.getSource().getUI().ifPresent(ui ->
                ui.navigate("invoices/" + click.getItem().id() + linkSuffix)));
        grid.setSizeFull();
        add(new H2("Invoices"), upcoming, grid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String requested = event.getLocation().getQueryParameters().getSingleParameter("customer").orElse(null);
        Optional<Customer> resolved = PortalCustomer.resolve(scope, event);
        if (resolved.isEmpty()) {
            return;
        }
        Customer customer = resolved.get();
        zone = customer.billingTimeZone();
        String suffix = requested == null ? "" : "?customer=" + customer.externalId();
        Invoice draft = invoices.upcoming(customer);
        upcoming.removeAll();
        upcoming.add("Upcoming invoice for " + draft.month() + ": " + Formats.money(draft.total(), draft.currency())
                + " so far. ");
        upcoming.add(new Anchor("invoices/upcoming" + suffix, "See how it adds up"));
        grid.setItems(invoices.invoices(customer.id()));
        linkSuffix = suffix;
    }
}
