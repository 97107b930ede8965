package com.voiceledger.portal.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.voiceledger.billing.BurnDowns;
import com.voiceledger.customer.Customer;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.rating.MonthCharges;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.security.Role;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.spendcap.SpendStatus;
import com.voiceledger.ui.Chart;
import com.voiceledger.ui.Charts;
import com.voiceledger.ui.Formats;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The first page a customer sees: this month's spend against its cap and commitment with a projection,
 * calls, minutes and unit costs against last month, and where the money goes (by day and layer, by
 * assistant, by model). Figures come from the rollups. The month is in the URL ({@code ?month=}).
 */
@Route("dashboard")
@PageTitle("Dashboard · VoiceLedger")
@Menu(title = "Dashboard", order = 5, icon = "vaadin:dashboard")
@RolesAllowed({Role.VIEWER, Role.ADMIN})
class DashboardView extends VerticalLayout implements BeforeEnterObserver {

    private final CustomerScope scope;
    private final RatingQueries rating;
    private final SpendCaps spendCaps;
    private final BurnDowns burnDowns;
    private final Clock clock;
    final ComboBox<YearMonth> month = new ComboBox<>("Month");
    final ComboBox<String> assistant = new ComboBox<>("Assistant");
    final Paragraph filterNote = new Paragraph();
    final Div cards = new Div();
    final Grid<Map.Entry<LocalDate, Map<String, BigDecimal>>> daily = new Grid<>();
    final Grid<RatingQueries.KeyedCharge> byAssistant = new Grid<>(RatingQueries.KeyedCharge.class, false);
    final Grid<RatingQueries.KeyedCharge> byModel = new Grid<>(RatingQueries.KeyedCharge.class, false);
    private final Anchor csv = new Anchor("", "Calls as CSV");
    final Chart dailyChart = new Chart(Map.of(), "Daily spend by layer (the table below has the figures)");
    final Chart compositionChart = new Chart(Map.of(), "Cost composition by layer");
    final Chart assistantChart = new Chart(Map.of(), "Spend by assistant, largest ten (the table below has all)");
    final Chart modelChart = new Chart(Map.of(), "Spend by model, largest ten (the table below has all)");

    DashboardView(CustomerScope scope, RatingQueries rating, SpendCaps spendCaps, BurnDowns burnDowns, Clock clock) {
        this.scope = scope;
        this.rating = rating;
        this.spendCaps = spendCaps;
        this.burnDowns = burnDowns;
        this.clock = clock;
        addClassName("vl-page");
        cards.addClassName("vl-cards");
        // the URL holds the month and assistant shown, so a view can be bookmarked and shared
        month.addValueChangeListener(event -> {
            if (event.isFromClient() && event.getValue() != null) {
                navigate(event.getValue(), assistant.getValue());
            }
        });
        assistant.setPlaceholder("All assistants");
        assistant.setClearButtonVisible(true);
        assistant.addValueChangeListener(event -> {
            if (event.isFromClient()) {
                navigate(month.getValue(), event.getValue());
            }
        });
        filterNote.addClassName("vl-muted");
        csv.setRouterIgnore(true);
        for (Grid<RatingQueries.KeyedCharge> grid : List.of(byAssistant, byModel)) {
            grid.addColumn(RatingQueries.KeyedCharge::key).setHeader(grid == byAssistant ? "Assistant" : "Layer and model")
                    .setFlexGrow(1);
            grid.addColumn(row -> row.charge().setScale(2, RoundingMode.HALF_EVEN).toPlainString()).setHeader("Charge")
                    .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
            grid.setAllRowsVisible(true);
            grid.setEmptyStateText("No usage in this month.");
        }
        HorizontalLayout bar = new HorizontalLayout(month, assistant, csv);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        HorizontalLayout splits = new HorizontalLayout(column("By assistant", assistantChart, byAssistant),
                column("By model", modelChart, byModel));
        splits.setWidthFull();
        daily.setAllRowsVisible(true);
        HorizontalLayout charts = new HorizontalLayout(dailyChart, compositionChart);
        charts.setWidthFull();
        // side by side at desk width (2 : 1), stacked on a phone
        charts.setWrap(true);
        dailyChart.setWidth(null);
        dailyChart.getStyle().set("flex", "2 1 24rem").set("min-width", "0");
        compositionChart.setWidth(null);
        compositionChart.getStyle().set("flex", "1 1 16rem").set("min-width", "0");
        add(new H2("Dashboard"), bar, cards, new H3("Daily spend by layer"), filterNote, charts, daily, splits);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Customer customer = scope.resolve(null);
        YearMonth current = YearMonth.now(clock.withZone(customer.billingTimeZone()));
        YearMonth shown = event.getLocation().getQueryParameters().getSingleParameter("month").map(value -> {
            try {
                return YearMonth.parse(value);
            } catch (RuntimeException e) {
                return current;
            }
        }).orElse(current);
        month.setItems(Stream.iterate(current, m -> m.minusMonths(1)).limit(13).toList());
        month.setValue(shown);
        assistant.setItems(rating.chargeBy(customer.id(), shown, true, null).stream()
                .map(RatingQueries.KeyedCharge::key).filter(Objects::nonNull).toList());
        String chosen = event.getLocation().getQueryParameters().getSingleParameter("assistant").orElse(null);
        assistant.setValue(chosen);
        show(customer, shown, current, chosen);
    }

    private void navigate(@Nullable YearMonth shown, @Nullable String chosenAssistant) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (shown != null) {
            parameters.put("month", shown.toString());
        }
        if (chosenAssistant != null) {
            parameters.put("assistant", chosenAssistant);
        }
        getUI().ifPresent(ui -> ui.navigate("dashboard", QueryParameters.simple(parameters)));
    }

    private void show(Customer customer, YearMonth shown, YearMonth current, @Nullable String chosenAssistant) {
        String currency = customer.currency();
        MonthCharges now = rating.month(customer.id(), shown, currency);
        MonthCharges before = rating.month(customer.id(), shown.minusMonths(1), currency);
        cards.removeAll();
        if (shown.equals(current)) {
            SpendStatus status = spendCaps.status(customer);
            int elapsed = LocalDate.now(clock.withZone(customer.billingTimeZone())).getDayOfMonth();
            BigDecimal projection = now.charge().multiply(BigDecimal.valueOf(shown.lengthOfMonth()))
                    .divide(BigDecimal.valueOf(elapsed), 2, RoundingMode.HALF_EVEN);
            cards.add(card("Spend this month", Formats.total(now.charge(), currency),
                    "projected " + Formats.total(projection, currency) + " by month end"));
            cards.add(card("Spend cap", status.cap() == null ? "none" : Formats.charge(status.cap(), currency),
                    status.cap() == null ? "" : status.percent() + " % used incl. calls in progress"));
            burnDowns.commitment(customer).ifPresent(commitment -> cards.add(card("Commitment",
                    Formats.charge(commitment.level(), currency), Formats.charge(commitment.usedToDate(), currency)
                            + " used since " + commitment.periodStart())));
        } else {
            cards.add(card("Spend", Formats.total(now.charge(), currency), "whole month"));
        }
        cards.add(card("Calls", Long.toString(now.calls()), "last month " + before.calls()));
        cards.add(card("Minutes", minutes(now), "last month " + minutes(before)));
        cards.add(card("Per minute", perMinute(now, currency), "last month " + perMinute(before, currency)));
        cards.add(card("Per call", perCall(now, currency), "last month " + perCall(before, currency)));

        Map<LocalDate, Map<String, BigDecimal>> byDay = new TreeMap<>();
        TreeSet<String> layers = new TreeSet<>();
        for (RatingQueries.DailyLayerCharge row : rating.dailyByLayer(customer.id(), shown, chosenAssistant)) {
            byDay.computeIfAbsent(row.day(), day -> new TreeMap<>()).merge(row.layer(), row.charge(), BigDecimal::add);
            layers.add(row.layer());
        }
        daily.removeAllColumns();
        daily.addColumn(row -> row.getKey().toString()).setHeader("Day").setAutoWidth(true).setFlexGrow(0);
        for (String layer : layers) {
            daily.addColumn(row -> row.getValue().getOrDefault(layer, BigDecimal.ZERO).setScale(2, RoundingMode.HALF_EVEN)
                    .toPlainString()).setHeader(layer).setTextAlign(ColumnTextAlign.END);
        }
        daily.addColumn(row -> row.getValue().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.HALF_EVEN).toPlainString()).setHeader("Total").setTextAlign(ColumnTextAlign.END);
        daily.setItems(List.copyOf(byDay.entrySet()));
        List<String> days = byDay.keySet().stream().map(day -> Integer.toString(day.getDayOfMonth())).toList();
        List<Charts.Series> series = layers.stream().map(layer -> new Charts.Series(layer, byDay.values().stream()
                .map(values -> values.getOrDefault(layer, BigDecimal.ZERO).setScale(2, RoundingMode.HALF_EVEN))
                .toList())).toList();
        dailyChart.setOptions(Charts.stackedBars(days, series, currency));
        compositionChart.setOptions(Charts.donut(List.copyOf(layers), layers.stream().map(layer -> byDay.values()
                .stream().map(values -> values.getOrDefault(layer, BigDecimal.ZERO)).reduce(BigDecimal.ZERO,
                        BigDecimal::add).setScale(2, RoundingMode.HALF_EVEN)).toList()));
        daily.setEmptyStateText("No calls in " + shown + " yet.");
        showSplit(byAssistant, assistantChart, rating.chargeBy(customer.id(), shown, true, chosenAssistant), currency);
        showSplit(byModel, modelChart, rating.chargeBy(customer.id(), shown, false, chosenAssistant), currency);
        filterNote.setText(chosenAssistant == null ? "" : "Charts and tables below: assistant " + chosenAssistant
                + " only. The figures above are for all assistants.");
        filterNote.setVisible(chosenAssistant != null);
        String zone = customer.billingTimeZone().getId();
        csv.setHref("api/v1/calls.csv?from=" + shown.atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant()
                + "&to=" + shown.plusMonths(1).atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant());
        csv.getElement().setAttribute("title", "Calls of " + shown + " (" + zone + ")");
    }

    /** The table has every row; the chart, drawn from the same rows, the largest ten (rows come largest first). */
    private static void showSplit(Grid<RatingQueries.KeyedCharge> grid, Chart chart, List<RatingQueries.KeyedCharge> rows,
            String currency) {
        grid.setItems(rows);
        List<RatingQueries.KeyedCharge> top = rows.subList(0, Math.min(10, rows.size()));
        chart.setOptions(Charts.horizontalBars(top.stream().map(row -> Objects.requireNonNullElse(row.key(), "–"))
                .toList(), new Charts.Series("Spend", top.stream().map(row -> row.charge()
                .setScale(2, RoundingMode.HALF_EVEN)).toList()), currency));
    }

    private static VerticalLayout column(String title, Chart chart, Grid<?> grid) {
        VerticalLayout column = new VerticalLayout(new H3(title), chart, grid);
        column.setPadding(false);
        column.setWidth("50%");
        return column;
    }

    private static Div card(String label, String value, String note) {
        Span caption = new Span(label);
        caption.addClassName("vl-muted");
        Span figure = new Span(value);
        figure.addClassName("vl-figure");
        Span detail = new Span(note);
        detail.addClassName("vl-muted");
        Div card = new Div(caption, figure, detail);
        card.addClassName("vl-card");
        return card;
    }

    private static String minutes(MonthCharges month) {
        return BigDecimal.valueOf(month.durationSeconds()).divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_EVEN)
                .toPlainString();
    }

    private static String perMinute(MonthCharges month, String currency) {
        return month.durationSeconds() == 0 ? "–" : Formats.charge(month.charge().multiply(BigDecimal.valueOf(60))
                .divide(BigDecimal.valueOf(month.durationSeconds()), 4, RoundingMode.HALF_EVEN), currency);
    }

    private static String perCall(MonthCharges month, String currency) {
        return month.calls() == 0 ? "–" : Formats.charge(month.charge().divide(BigDecimal.valueOf(month.calls()), 4,
                RoundingMode.HALF_EVEN), currency);
    }
}
