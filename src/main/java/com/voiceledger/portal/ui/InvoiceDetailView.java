package com.voiceledger.portal.ui;

import com.voiceledger.ui.ViewAs;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceLine;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.customer.Customer;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.ui.Formats;
import jakarta.annotation.security.PermitAll;
import java.util.Map;

/**
 * One invoice, line by line; a click on a line opens its explanation: quantity × unit price and where
 * the price came from, the calls behind it (with a link to them), the ledger entries used.
 */
@Route("invoices/:id")
@PageTitle("Invoice · VoiceLedger")
@PermitAll
class InvoiceDetailView extends VerticalLayout implements BeforeEnterObserver {

    private final InvoiceService invoices;
    private final CustomerScope scope;

    InvoiceDetailView(InvoiceService invoices, CustomerScope scope) {
        this.invoices = invoices;
        this.scope = scope;
        addClassName("vl-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        String named = event.getLocation().getQueryParameters().getSingleParameter("customer").orElse(null);
        String requested = named != null ? named : ViewAs.customer().orElse(null);
        String suffix = named == null ? "" : "?customer=" + named;
        // finance comes here from the billing console and goes back there (unless viewing as the customer)
        add(new Anchor(named == null ? "invoices" : "admin/billing", "← All invoices"));
        String id = event.getRouteParameters().get("id").orElse("");
        Invoice invoice;
        java.time.ZoneId zone;
        try {
            Customer customer = scope.resolve(requested);
            zone = customer.billingTimeZone();
            invoice = id.equals("upcoming") ? invoices.upcoming(customer)
                    : invoices.get(customer.id(), Long.parseLong(id));
        } catch (RuntimeException e) {
            // not there, not this customer's, or not a number: all read the same (decision 0058)
            event.rerouteToError(NotFoundException.class);
            return;
        }
        boolean upcoming = invoice.id() == 0;
        add(new H2(upcoming ? "Upcoming invoice, " + invoice.month() + " (so far)"
                : invoice.isDraft() ? "Draft invoice, " + invoice.month()
                : "Invoice " + invoice.number() + ", " + invoice.month()));
        if (invoice.isDraft()) {
            Paragraph draft = new Paragraph(draftNote(invoice, zone));
            draft.addClassName("vl-draft-note");
            add(draft);
        }
        Grid<InvoiceLine> lines = new Grid<>(InvoiceLine.class, false);
        lines.addColumn(line -> line.kind().wireName()).setHeader("Kind").setAutoWidth(true).setFlexGrow(0);
        lines.addColumn(InvoiceLine::description).setHeader("Description").setWidth("16rem").setFlexGrow(3);
        lines.addColumn(line -> line.quantity() == null ? "" : line.quantity().toPlainString() + " " + line.unit())
                .setHeader("Quantity").setTextAlign(ColumnTextAlign.END).setWidth("12rem").setFlexGrow(1);
        lines.addColumn(line -> line.unitPrice() == null ? "" : Formats.precise(line.unitPrice(), invoice.currency()))
                .setHeader("Unit price").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        lines.addColumn(line -> Formats.money(line.amount(), invoice.currency())).setHeader("Amount")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        lines.setItemDetailsRenderer(new ComponentRenderer<>(line -> explanation(line.explanation(), requested)));
        lines.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        lines.setItems(invoice.lines());
        lines.setAllRowsVisible(true);
        lines.setEmptyStateText("No usage in this month.");
        add(new Paragraph("Click a line to see how it adds up and the calls behind it."), lines,
                new Paragraph("Subtotal " + Formats.money(invoice.subtotal(), invoice.currency()) + " · Credits "
                        + Formats.money(invoice.credits(), invoice.currency())
                        + (invoice.tax().signum() == 0 ? "" : " · Tax " + Formats.money(invoice.tax(), invoice.currency()))
                        + " · Total "
                        + Formats.money(invoice.total(), invoice.currency())));
        if (!upcoming) {
            Anchor csv = new Anchor("api/v1/invoices/" + invoice.id() + ".csv" + suffix, "Download CSV");
            csv.setRouterIgnore(true);
            Anchor print = new Anchor("api/v1/invoices/" + invoice.id() + ".html" + suffix, "Print view");
            print.setRouterIgnore(true);
            print.setTarget("_blank");
            var downloads = new com.vaadin.flow.component.orderedlayout.HorizontalLayout(csv, print);
            if (invoice.isFinal()) {
                // the PDF is the invoice a finance team sends: made once the invoice is final, the same at every download
                Anchor pdf = new Anchor("api/v1/invoices/" + invoice.id() + ".pdf" + suffix, "Download PDF");
                pdf.setRouterIgnore(true);
                pdf.getElement().setAttribute("download", true);
                downloads.addComponentAsFirst(pdf);
            }
            add(downloads);
        }
    }

    /**
     * What a customer reads on a draft: it is not final yet, and when it becomes final in its own zone.
     * Finance's hold reason stays with finance.
     */
    static String draftNote(Invoice invoice, java.time.ZoneId zone) {
        String still = "Draft: calls of " + invoice.month() + " that arrive late are still added. ";
        return switch (invoice.status()) {
            case Invoice.DRAFT -> still + "It is finalized on " + Formats.instant(invoice.finalizesAt(), zone) + " ("
                    + zone.getId() + "), then numbered and never changed.";
            case Invoice.HELD -> still + "Our billing team is reviewing it before it is finalized.";
            default -> still + "It will be finalized shortly.";
        };
    }

    /** {@code firstCall} → "First call": explanation keys read as labels. */
    static String words(String key) {
        String spaced = key.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    private static Div explanation(Map<String, Object> explanation, String requested) {
        Div box = new Div();
        box.addClassName("vl-facts");
        explanation.forEach((key, value) -> {
            Div row = new Div();
            row.addClassName("vl-fact");
            Span label = new Span(words(key));
            label.addClassName("vl-muted");
            row.add(label);
            if (key.equals("callsLink")) {
                String href = value.toString();
                if (requested == null) {
                    href = href.replaceFirst("customer=[^&]*&", "");
                }
                row.add(new Anchor(href, "See these calls"));
            } else {
                row.add(new Span(String.valueOf(value)));
            }
            box.add(row);
        });
        return box;
    }
}
