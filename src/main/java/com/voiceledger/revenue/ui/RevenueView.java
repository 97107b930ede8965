package com.voiceledger.revenue.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.revenue.Category;
import com.voiceledger.revenue.RevenueReport;
import com.voiceledger.revenue.RevenueReport.CustomerRevenue;
import com.voiceledger.revenue.RevenueService;
import com.voiceledger.revenue.RollForward;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Role;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.ui.Chart;
import com.voiceledger.ui.FigureCard;
import com.voiceledger.ui.Formats;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finance's revenue close (BILLING-RULES §6): the month's recognized revenue by category and deferred
 * revenue roll-forward with the check against the invoices, twelve months of trend, each customer, the
 * lock and the journal CSV. {@code ?month=YYYY-MM} opens a month.
 */
@Route("admin/revenue")
@PageTitle("Revenue · VoiceLedger")
@Menu(title = "Revenue", order = 104, icon = "vaadin:book-dollar")
@RolesAllowed(Role.FINANCE)
class RevenueView extends VerticalLayout implements BeforeEnterObserver {

    /** One row of the roll-forward table. */
    record Row(String label, BigDecimal amount, String currency) {
    }

    private final RevenueService revenue;
    private final CurrentUser currentUser;
    final ComboBox<YearMonth> month = new ComboBox<>("Month");
    final ComboBox<String> currency = new ComboBox<>("Currency");
    final Paragraph status = new Paragraph();
    final Div cards = new Div();
    final Grid<Row> recognized = new Grid<>(Row.class, false);
    final Grid<Row> deferred = new Grid<>(Row.class, false);
    final Chart chart = new Chart(Map.of(), "Recognized revenue by category and deferred balance over twelve months "
            + "(the tables have the figures)");
    final Grid<CustomerRevenue> customers = new Grid<>(CustomerRevenue.class, false);
    final TextField reason = new TextField("Reason for the lock");
    final Button lock = new Button("Lock month");
    final Anchor journal = new Anchor("", "Journal entries (CSV)");

    RevenueView(RevenueService revenue, CurrentUser currentUser, Clock clock) {
        this.revenue = revenue;
        this.currentUser = currentUser;
        addClassName("vl-page");
        YearMonth last = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)).minusMonths(1);
        month.setItems(Stream.iterate(last.plusMonths(1), m -> m.minusMonths(1)).limit(25).toList());
        month.setValue(last);
        month.addValueChangeListener(event -> refresh());
        currency.addValueChangeListener(event -> {
            if (event.isFromClient()) {
                refresh();
            }
        });
        journal.setRouterIgnore(true);
        reason.setPlaceholder("month-end revenue close");
        reason.setWidth("18em");
        lock.addThemeVariants(ButtonVariant.LUMO_ERROR);
        lock.addClickListener(click -> lock());
        cards.addClassName("vl-cards");

        recognized.addColumn(Row::label).setHeader("Recognized revenue").setAutoWidth(true).setFlexGrow(1);
        recognized.addColumn(row -> Formats.money(row.amount(), row.currency())).setHeader("Amount").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        recognized.setAllRowsVisible(true);
        deferred.addColumn(Row::label).setHeader("Deferred revenue (prepaid)").setAutoWidth(true).setFlexGrow(1);
        deferred.addColumn(row -> Formats.money(row.amount(), row.currency())).setHeader("Amount").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        deferred.setAllRowsVisible(true);
        HorizontalLayout tables = new HorizontalLayout(recognized, deferred);
        tables.setWidthFull();

        customers.addColumn(CustomerRevenue::name).setHeader("Customer").setAutoWidth(true).setFrozen(true);
        customers.addColumn(row -> row.figures().currency()).setHeader("Currency").setAutoWidth(true);
        for (Category category : Category.REVENUE) {
            customers.addColumn(row -> Formats.money(row.figures().recognized().get(category), row.figures().currency()))
                    .setHeader(RevenueCharts.LABELS.get(category)).setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        }
        customers.addColumn(row -> Formats.money(row.figures().total(), row.figures().currency())).setHeader("Recognized")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(row -> Formats.money(row.figures().deferred().opening(), row.figures().currency())).setHeader("Deferred opening")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(row -> Formats.money(row.figures().deferred().closing(), row.figures().currency())).setHeader("Deferred closing")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(row -> Formats.money(row.figures().check().invoiced(), row.figures().currency())).setHeader("Invoiced")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(row -> row.figures().check().ok() ? "✓" : "differs by "
                + Formats.money(row.figures().check().difference(), row.figures().currency()))
                .setHeader("Check").setAutoWidth(true);
        customers.setAllRowsVisible(true);
        customers.setEmptyStateText("Nothing recognized this month.");

        HorizontalLayout bar = new HorizontalLayout(month, currency, reason, lock, journal);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        bar.setWrap(true);
        add(new H2("Revenue"), new Paragraph("Revenue recognized in the month by category (ASC 606 / IFRS 15): "
                + "invoices in their billing month, or in the first open month when theirs was already locked; "
                + "credit notes in the month they are issued; free credits as contra-revenue; prepaid commitments "
                + "as deferred revenue, drawn down by usage, what is left at the period's end as breakage. "
                + "The check: recognized + change in deferred = what the month's invoices and credit notes billed."),
                bar, status, cards, tables, new H3("Twelve months"), chart, new H3("By customer"), customers);
        refresh();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        event.getLocation().getQueryParameters().getSingleParameter("month").ifPresent(value -> {
            try {
                month.setValue(com.voiceledger.shared.InputBounds.month("month", value));
            } catch (com.voiceledger.shared.BadRequestException e) {
                Notification.show(e.getMessage());
            }
        });
    }

    private void refresh() {
        YearMonth which = month.getValue();
        if (which == null) {
            return;
        }
        RevenueReport report = revenue.report(which, null);
        List<String> currencies = report.currencies().stream().map(RollForward::currency).toList();
        String chosen = currencies.contains(currency.getValue()) ? currency.getValue()
                : currencies.isEmpty() ? "USD" : currencies.getFirst();
        currency.setItems(currencies.isEmpty() ? List.of(chosen) : currencies);
        currency.setValue(chosen);
        currency.setVisible(currencies.size() > 1);
        RollForward figures = report.currencies().stream().filter(f -> f.currency().equals(chosen)).findFirst()
                .orElseGet(() -> RollForward.of(which, chosen, List.of()));

        status.setText(report.locked() ? which + " is locked: its figures no longer change. Invoices of it finalized "
                + "from now on are recognized in the first open month."
                : which + " is open" + (report.lockedThrough() == null ? "; no month is locked yet."
                        : "; revenue is locked through " + report.lockedThrough() + "."));
        cards.removeAll();
        cards.add(FigureCard.of("Recognized", Formats.money(figures.total(), chosen), "revenue of " + which),
                FigureCard.of("Deferred at month end", Formats.money(figures.deferred().closing(), chosen),
                        "prepaid, not yet used"),
                FigureCard.of("Check", figures.check().ok() ? "Reconciles" : "Differs by "
                        + Formats.money(figures.check().difference(), chosen), "invoices and credit notes: "
                        + Formats.money(figures.check().invoiced(), chosen)));

        List<Row> rows = new ArrayList<>();
        figures.recognized().forEach((category, amount) ->
                rows.add(new Row(RevenueCharts.LABELS.get(category), amount, chosen)));
        rows.add(new Row("Total recognized", figures.total(), chosen));
        recognized.setItems(rows);
        RollForward.Deferred d = figures.deferred();
        deferred.setItems(List.of(new Row("Opening", d.opening(), chosen),
                new Row("+ Added (prepaid invoiced)", d.added(), chosen),
                new Row("− Recognized (usage drawn)", d.recognized(), chosen), new Row("− Breakage", d.breakage(), chosen),
                new Row("Closing", d.closing(), chosen),
                new Row("Recognized + (closing − opening)", figures.check().explained(), chosen),
                new Row("Invoices + credit notes (check)", figures.check().invoiced(), chosen)));
        chart.setOptions(RevenueCharts.trend(revenue.trend(which, 12, chosen)));
        customers.setItems(report.customers().stream().filter(row -> row.figures().currency().equals(chosen)).toList());
        journal.setHref("api/admin/v1/revenue/journal.csv?month=" + which);
        lock.setEnabled(!report.locked());
        lock.setText("Lock " + which);
    }

    private void lock() {
        YearMonth which = month.getValue();
        try {
            revenue.lock(which, currentUser.require().name(), reason.getValue());
            Notification.show(which + " is locked").addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            reason.clear();
        } catch (BadRequestException | ConflictException e) {
            Notification.show(e.getMessage()).addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        refresh();
    }
}
