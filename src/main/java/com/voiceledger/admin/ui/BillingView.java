package com.voiceledger.admin.ui;

import com.voiceledger.ui.Formats;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.billing.BillingRun;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.billing.CreditService;
import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Role;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.NotFoundException;
import com.voiceledger.stripe.InvoicePush;
import com.voiceledger.stripe.StripePushes;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Month-end for finance: close a month (one customer or all) with progress and per-customer outcome,
 * review the month's invoices with their Stripe status (push, retry), and grant credits.
 */
@Route("admin/billing")
@PageTitle("Billing · VoiceLedger")
@Menu(title = "Billing", order = 102, icon = "vaadin:invoice")
@RolesAllowed(Role.FINANCE)
class BillingView extends VerticalLayout {

    private final BillingRuns runs;
    private final InvoiceService invoices;
    private final StripePushes stripe;
    private final CreditService credits;
    private final CurrentUser currentUser;
    private final Map<Long, Customer> customersById;

    final ComboBox<YearMonth> month = new ComboBox<>("Month");
    final ComboBox<Customer> customer = new ComboBox<>("Customer (empty: all)");
    final Button close = new Button("Close month");
    final Grid<BillingRun> runGrid = new Grid<>(BillingRun.class, false);
    final Grid<Invoice> invoiceGrid = new Grid<>(Invoice.class, false);
    final ComboBox<Customer> creditCustomer = new ComboBox<>("Customer");
    final TextField creditAmount = new TextField("Amount");
    final TextField creditPriority = new TextField("Priority (lower first)");
    final TextField creditReason = new TextField("Reason");

    BillingView(BillingRuns runs, InvoiceService invoices, StripePushes stripe, CreditService credits,
            CustomerService customerService, CurrentUser currentUser, Clock clock) {
        this.runs = runs;
        this.invoices = invoices;
        this.stripe = stripe;
        this.credits = credits;
        this.currentUser = currentUser;
        addClassName("vl-page");
        List<Customer> all = customerService.list();
        customersById = all.stream().collect(Collectors.toMap(c -> c.id().value(), Function.identity()));

        YearMonth current = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        month.setItems(Stream.iterate(current.minusMonths(1), m -> m.minusMonths(1)).limit(12).toList());
        month.setValue(current.minusMonths(1));
        month.addValueChangeListener(event -> showInvoices());
        customer.setItems(all);
        customer.setItemLabelGenerator(Customer::name);
        customer.setClearButtonVisible(true);
        close.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        close.addClickListener(event -> startRun());
        HorizontalLayout closeBar = new HorizontalLayout(month, customer, close);
        closeBar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        runGrid.addColumn(run -> "#" + run.id()).setHeader("Run").setAutoWidth(true).setFlexGrow(0);
        runGrid.addColumn(BillingRun::month).setHeader("Month").setAutoWidth(true);
        runGrid.addColumn(run -> run.customerId() == null ? "all customers" : name(run.customerId())).setHeader("For")
                .setAutoWidth(true);
        runGrid.addColumn(BillingRun::status).setHeader("Status").setAutoWidth(true);
        runGrid.addComponentColumn(run -> {
            ProgressBar bar = new ProgressBar(0, 100, run.percent());
            bar.setWidth("8rem");
            bar.getElement().setAttribute("aria-label", "Progress of the billing run for " + run.month());
            return bar;
        }).setHeader("Progress");
        runGrid.addColumn(run -> run.done() + " closed, " + run.failed() + " failed of " + run.total()).setHeader("Customers")
                .setAutoWidth(true);
        runGrid.setItemDetailsRenderer(new com.vaadin.flow.data.renderer.ComponentRenderer<>(run ->
                new com.vaadin.flow.component.html.Pre(runs.get(run.id()).results().stream()
                        .map(r -> name(r.customerId()) + ": " + r.outcome() + (r.error() == null ? "" : " — " + r.error()))
                        .collect(Collectors.joining("\n")))));
        runGrid.setAllRowsVisible(true);
        runGrid.setEmptyStateText("No month closed yet.");

        invoiceGrid.addColumn(Invoice::number).setHeader("Invoice").setAutoWidth(true);
        invoiceGrid.addColumn(i -> name(i.customerId().value())).setHeader("Customer").setAutoWidth(true);
        invoiceGrid.addColumn(i -> Formats.money(i.total(), i.currency())).setHeader("Total")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        invoiceGrid.addColumn(i -> stripe.status(i.id()).map(p -> p.status() + (p.error() == null ? "" : ": " + p.error()))
                .orElse("–")).setHeader("Stripe").setFlexGrow(1);
        invoiceGrid.addColumn(i -> stripe.status(i.id()).map(InvoicePush::paymentStatus).orElse("–")).setHeader("Payment")
                .setAutoWidth(true);
        invoiceGrid.addComponentColumn(i -> {
            Anchor open = new Anchor("invoices/" + i.id() + "?customer=" + customersById.get(i.customerId().value())
                    .externalId(), "Open");
            Button push = new Button("Push to Stripe", event -> push(i));
            push.addThemeVariants(ButtonVariant.LUMO_SMALL);
            push.setEnabled(stripe.status(i.id()).map(p -> !p.status().equals("PUSHED")).orElse(false));
            return new HorizontalLayout(open, push);
        }).setAutoWidth(true).setFlexGrow(0);
        invoiceGrid.setAllRowsVisible(true);
        invoiceGrid.setEmptyStateText("No invoice for this month yet: close it above.");

        creditCustomer.setItems(all);
        creditCustomer.setItemLabelGenerator(Customer::name);
        creditPriority.setValue("100");
        Button grant = new Button("Grant credit", event -> grant());
        HorizontalLayout creditBar = new HorizontalLayout(creditCustomer, creditAmount, creditPriority, creditReason, grant);
        creditBar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        creditBar.setWrap(true);

        add(new H2("Billing"), closeBar, runGrid, new H3("Invoices of the month"), invoiceGrid, new H3("Grant credit"),
                creditBar);
        refresh();
        addAttachListener(event -> {
            event.getUI().setPollInterval(2000);
            event.getUI().addPollListener(poll -> refreshRuns());
        });
        addDetachListener(event -> event.getUI().setPollInterval(-1));
    }

    private void startRun() {
        if (month.getValue() == null) {
            notify("Pick a month", NotificationVariant.LUMO_CONTRAST);
            return;
        }
        try {
            long id = runs.start(month.getValue(), customer.getValue(), currentUser.require().name());
            notify("Closing " + month.getValue() + " (run #" + id + ")", NotificationVariant.LUMO_SUCCESS);
            refreshRuns();
        } catch (BadRequestException e) {
            notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
        }
    }

    private void push(Invoice invoice) {
        try {
            InvoicePush result = stripe.push(invoice.id());
            notify(invoice.number() + ": " + result.status() + (result.error() == null ? "" : " (" + result.error() + ")"),
                    result.status().equals("PUSHED") ? NotificationVariant.LUMO_SUCCESS : NotificationVariant.LUMO_ERROR);
        } catch (BadRequestException | NotFoundException e) {
            notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
        }
        showInvoices();
    }

    private void grant() {
        try {
            if (creditCustomer.getValue() == null) {
                throw new BadRequestException("pick a customer");
            }
            credits.grant(creditCustomer.getValue(), number(creditAmount.getValue(), "amount"), null, null,
                    number(creditPriority.getValue(), "priority").intValue(), creditReason.getValue(),
                    currentUser.require().name());
            notify("Credit granted to " + creditCustomer.getValue().name(), NotificationVariant.LUMO_SUCCESS);
            creditAmount.clear();
            creditReason.clear();
        } catch (BadRequestException e) {
            notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
        }
    }

    private void refresh() {
        refreshRuns();
        showInvoices();
    }

    private void refreshRuns() {
        runGrid.setItems(runs.recent(10));
        showInvoices();
    }

    private void showInvoices() {
        invoiceGrid.setItems(month.getValue() == null ? List.of() : invoices.invoicesOf(month.getValue()));
    }

    private String name(long customerId) {
        Customer known = customersById.get(customerId);
        return known == null ? "customer " + CustomerId.of(customerId) : known.name();
    }

    private static BigDecimal number(String value, String what) {
        try {
            return new BigDecimal(value.strip());
        } catch (RuntimeException e) {
            throw new BadRequestException(what + " is not a number: '" + value + "'");
        }
    }

    private static void notify(String message, NotificationVariant variant) {
        Notification.show(message, 6000, Notification.Position.BOTTOM_START).addThemeVariants(variant);
    }
}
