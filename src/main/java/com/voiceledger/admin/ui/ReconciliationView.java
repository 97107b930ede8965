package com.voiceledger.admin.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.Role;
import com.voiceledger.usage.Reconciliation;
import jakarta.annotation.security.RolesAllowed;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.stream.Stream;

/** The platform's telephony minutes against Twilio's, per customer-month; mismatches first. */
@Route("admin/reconciliation")
@PageTitle("Reconciliation · VoiceLedger")
@Menu(title = "Reconciliation", order = 125, icon = "vaadin:scale")
@RolesAllowed(Role.FINANCE)
class ReconciliationView extends VerticalLayout {

    private final Reconciliation reconciliation;
    private final InvoiceService invoices;
    final ComboBox<Customer> customer = new ComboBox<>("Customer");
    final ComboBox<YearMonth> month = new ComboBox<>("Month");
    final Paragraph summary = new Paragraph();
    final Anchor csv = new Anchor("", "Download CSV");
    final Grid<Reconciliation.Row> grid = new Grid<>(Reconciliation.Row.class, false);

    ReconciliationView(Reconciliation reconciliation, CustomerService customers, InvoiceService invoices, Clock clock) {
        this.reconciliation = reconciliation;
        this.invoices = invoices;
        addClassName("vl-page");
        setSizeFull();
        customer.setItems(customers.list());
        customer.setItemLabelGenerator(Customer::name);
        YearMonth current = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        month.setItems(Stream.iterate(current, m -> m.minusMonths(1)).limit(12).toList());
        month.setValue(current);
        customer.addValueChangeListener(event -> refresh());
        month.addValueChangeListener(event -> refresh());
        csv.setRouterIgnore(true);
        grid.addColumn(Reconciliation.Row::issue).setHeader("Issue").setAutoWidth(true).setSortable(true);
        grid.addColumn(Reconciliation.Row::callId).setHeader("Call").setAutoWidth(true);
        grid.addColumn(Reconciliation.Row::callSid).setHeader("CallSid").setAutoWidth(true);
        grid.addColumn(r -> r.platformMinutes().toPlainString()).setHeader("Platform min").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(r -> r.twilioBilledMinutes().toPlainString()).setHeader("Twilio billed min")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(r -> r.deltaMinutes().toPlainString()).setHeader("Delta").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(Reconciliation.Row::twilioStatus).setHeader("Twilio status").setAutoWidth(true);
        grid.setEmptyStateText("Pick a customer and a month.");
        grid.setSizeFull();
        HorizontalLayout bar = new HorizontalLayout(customer, month, csv);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(new H2("Reconciliation with Twilio"), bar, summary, grid);
    }

    private void refresh() {
        if (customer.getValue() == null || month.getValue() == null) {
            return;
        }
        Customer who = customer.getValue();
        YearMonth which = month.getValue();
        Reconciliation.Report report = reconciliation.report(who.id(), which,
                which.atDay(1).atStartOfDay(who.billingTimeZone()).toInstant(),
                which.plusMonths(1).atDay(1).atStartOfDay(who.billingTimeZone()).toInstant());
        summary.setText(report.calls() + " calls over telephony, " + report.issues() + " disagree; platform "
                + report.platformMinutes().toPlainString() + " min, Twilio billed " + report.twilioBilledMinutes()
                .toPlainString() + " min (delta " + report.deltaMinutes().toPlainString() + "). Policy: "
                + (invoices.reconciliationPolicy(who.id()).equals("BILL_DELTA")
                        ? "Twilio's extra minutes are billed on the invoice." : "flag only."));
        grid.setItems(report.rows().stream().sorted((a, b) -> Boolean.compare(a.issue().equals("MATCHED"),
                b.issue().equals("MATCHED"))).toList());
        csv.setHref("api/admin/v1/customers/" + who.externalId() + "/reconciliation.csv?month=" + which);
    }
}
