package com.voiceledger.admin.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.latency.Latencies;
import com.voiceledger.latency.ModelLatency;
import com.voiceledger.rating.MarginRow;
import com.voiceledger.rating.Margins;
import com.voiceledger.security.Role;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.ui.Chart;
import com.voiceledger.ui.Charts;
import com.voiceledger.ui.Formats;
import com.voiceledger.usage.ResourceNames;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the platform keeps, month by month: margin and margin % (of cost) by customer, layer,
 * provider/model or assistant, worst first; a customer row opens its calls, worst margin first.
 */
@Route("admin/margins")
@PageTitle("Margins · VoiceLedger")
@Menu(title = "Margins", order = 103, icon = "vaadin:chart")
@RolesAllowed(Role.FINANCE)
class MarginView extends VerticalLayout {

    /** The platform reports provider costs in USD (its SDK says so of every cost item), and prices follow. */
    static final String MARGIN_CURRENCY = "USD";

    private final Margins margins;
    private final ResourceNames names;
    private Map<String, String> assistantNames = Map.of();
    private final Map<String, Customer> customersById;
    final ComboBox<YearMonth> month = new ComboBox<>("Month");
    final ComboBox<Margins.GroupBy> groupBy = new ComboBox<>("By");
    final Grid<MarginRow> grid = new Grid<>(MarginRow.class, false);
    final Chart chart = new Chart(Map.of(), "Margin of the worst and best groups (the table has the figures)");
    final Paragraph totals = new Paragraph();
    final Anchor csv = new Anchor("", "Download CSV");
    final H3 callsTitle = new H3();
    final Grid<Margins.CallMargin> calls = new Grid<>(Margins.CallMargin.class, false);
    final Grid<ModelLatency> latency = new Grid<>(ModelLatency.class, false);
    final Chart latencyChart = new Chart(Map.of(), "p95 latency by provider and model (the table below has the figures)");
    private final Latencies latencies;
    /** This month's margin by "provider model", for the latency table. */
    private Map<String, MarginRow> modelMargins = Map.of();

    MarginView(Margins margins, CustomerService customers, Clock clock, ResourceNames names, Latencies latencies) {
        this.latencies = latencies;
        this.names = names;
        this.margins = margins;
        this.customersById = customers.list().stream()
                .collect(Collectors.toMap(c -> c.id().toString(), Function.identity()));
        addClassName("vl-page");
        YearMonth current = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        month.setItems(Stream.iterate(current, m -> m.minusMonths(1)).limit(12).toList());
        month.setValue(current);
        groupBy.setItems(Margins.GroupBy.values());
        groupBy.setItemLabelGenerator(g -> g.name().toLowerCase());
        groupBy.setValue(Margins.GroupBy.CUSTOMER);
        month.addValueChangeListener(event -> refresh());
        groupBy.addValueChangeListener(event -> refresh());
        csv.setRouterIgnore(true);

        grid.addColumn(row -> label(row.key())).setHeader("Group").setFlexGrow(1).setSortable(true)
                .setComparator(row -> label(row.key()));
        grid.addColumn(row -> Formats.money(row.charge(), MARGIN_CURRENCY)).setHeader("Charge").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true).setComparator(MarginRow::charge);
        grid.addColumn(row -> Formats.money(row.providerCost(), MARGIN_CURRENCY)).setHeader("Provider cost")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true).setComparator(MarginRow::providerCost);
        grid.addColumn(row -> Formats.money(row.margin(), MARGIN_CURRENCY)).setHeader("Margin").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true).setComparator(MarginRow::margin);
        grid.addColumn(row -> Formats.percent(row.marginPercent()))
                .setHeader("Margin % of cost").setTextAlign(ColumnTextAlign.END).setAutoWidth(true)
                .setComparator(Comparator.comparing(MarginRow::marginPercent,
                        Comparator.nullsLast(Comparator.naturalOrder())));
        grid.addColumn(MarginRow::calls).setHeader("Items × calls").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.setPartNameGenerator(row -> row.margin().signum() < 0 ? "vl-loss" : null);
        grid.addItemClickListener(click -> showCalls(click.getItem()));
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText("No rated usage this month.");

        calls.addColumn(c -> Formats.instant(c.callTime(), ZoneOffset.UTC)).setHeader(Formats.zoneLabel("Call time", ZoneOffset.UTC)).setAutoWidth(true);
        calls.addColumn(Margins.CallMargin::callId).setHeader("Call").setAutoWidth(true);
        calls.addColumn(c -> Formats.precise(c.charge(), MARGIN_CURRENCY)).setHeader("Charge").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        calls.addColumn(c -> Formats.precise(c.providerCost(), MARGIN_CURRENCY)).setHeader("Provider cost")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        calls.addColumn(c -> Formats.precise(c.margin(), MARGIN_CURRENCY)).setHeader("Margin").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        calls.setAllRowsVisible(true);
        calls.setVisible(false);

        latency.addColumn(ModelLatency::layer).setHeader("Latency of").setAutoWidth(true);
        latency.addColumn(row -> row.provider() + " " + row.model()).setHeader("Provider and model").setFlexGrow(1);
        latency.addColumn(row -> row.p50Ms() + " ms").setHeader("p50").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        latency.addColumn(row -> row.p95Ms() + " ms").setHeader("p95").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        latency.addColumn(ModelLatency::calls).setHeader("Calls").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        latency.addColumn(row -> marginOf(row) == null ? "–" : Formats.money(marginOf(row).margin(), MARGIN_CURRENCY))
                .setHeader("Margin").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        latency.addColumn(row -> marginOf(row) == null ? "–" : Formats.percent(marginOf(row).marginPercent()))
                .setHeader("Margin % of cost").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        latency.setAllRowsVisible(true);
        latency.setEmptyStateText("No latency reported this month.");

        HorizontalLayout bar = new HorizontalLayout(month, groupBy, csv);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(new H2("Margins"), new Paragraph("Margin = charge − the provider's cost, from the rollups. Margin % is "
                + "relative to the cost, so a cost-plus markup reads as its margin. Click a customer for its calls, "
                + "worst margin first."), bar, totals, chart, grid, callsTitle, calls,
                new H3("Latency by provider and model, beside margin"),
                new Paragraph("Every customer's calls of the month (UTC), p50 and p95 of each call's latency in that "
                        + "layer, from the latency rollup; the margin is the model's over all its layers."),
                latencyChart, latency);
        refresh();
    }

    private void refresh() {
        if (month.getValue() == null || groupBy.getValue() == null) {
            return;
        }
        List<MarginRow> rows = margins.by(groupBy.getValue(), month.getValue());
        assistantNames = names.allNames(ResourceNames.Kind.ASSISTANT);
        grid.setItems(rows);
        // rows come worst first: the chart shows the five worst and the five best
        List<MarginRow> ends = rows.size() <= 10 ? rows
                : Stream.concat(rows.subList(0, 5).stream(), rows.subList(rows.size() - 5, rows.size())
                        .stream()).toList();
        chart.setOptions(Charts.horizontalBars(ends.stream().map(row -> label(row.key())).toList(),
                new Charts.Series("Margin", ends.stream().map(MarginRow::margin).toList()),
                Charts.Values.money(MARGIN_CURRENCY)));
        BigDecimal charge = rows.stream().map(MarginRow::charge).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal cost = rows.stream().map(MarginRow::providerCost).reduce(BigDecimal.ZERO, BigDecimal::add);
        MarginRow total = MarginRow.of("total", charge, cost, 0);
        totals.setText("Total for " + month.getValue() + " (each customer's month in its billing time zone): charge " + Formats.money(total.charge(), MARGIN_CURRENCY)
                + ", provider cost " + Formats.money(total.providerCost(), MARGIN_CURRENCY) + ", margin "
                + Formats.money(total.margin(), MARGIN_CURRENCY)
                + (total.marginPercent() == null ? "" : " (" + Formats.percent(total.marginPercent()) + " of cost)"));
        csv.setHref("api/admin/v1/margins.csv?month=" + month.getValue() + "&groupBy="
                + groupBy.getValue().name().toLowerCase());
        calls.setVisible(false);
        callsTitle.setText("");
        modelMargins = margins.by(Margins.GroupBy.MODEL, month.getValue()).stream()
                .collect(Collectors.toMap(MarginRow::key, Function.identity(), (a, b) -> a));
        List<ModelLatency> byModel = latencies.byProviderAndModel(month.getValue());
        latency.setItems(byModel);
        latencyChart.setOptions(Charts.horizontalBars(byModel.stream()
                        .map(row -> row.layer() + ": " + row.provider() + " " + row.model()).toList(),
                new Charts.Series("p95", byModel.stream().map(ModelLatency::p95Ms).toList()), Charts.Values.count("ms")));
    }

    private @org.jspecify.annotations.Nullable MarginRow marginOf(ModelLatency row) {
        return modelMargins.get(row.provider() + " " + row.model());
    }

    private void showCalls(MarginRow row) {
        if (groupBy.getValue() != Margins.GroupBy.CUSTOMER || !customersById.containsKey(row.key())) {
            return;
        }
        Customer customer = customersById.get(row.key());
        callsTitle.setText(customer.name() + ": calls, worst margin first");
        calls.setItems(margins.worstCalls(CustomerId.of(Long.parseLong(row.key())), month.getValue(), 200));
        calls.setVisible(true);
    }

    private String label(String key) {
        if (groupBy.getValue() == Margins.GroupBy.ASSISTANT) {
            return assistantNames.getOrDefault(key, key);
        }
        Customer customer = groupBy.getValue() == Margins.GroupBy.CUSTOMER ? customersById.get(key) : null;
        return customer == null ? key : customer.name();
    }
}
