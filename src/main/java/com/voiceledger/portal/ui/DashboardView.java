package com.voiceledger.portal.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
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
import com.voiceledger.latency.Latencies;
import com.voiceledger.latency.LatencyPoint;
import com.voiceledger.latency.LayerLatency;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.security.Role;
import com.voiceledger.shared.DayRange;
import com.voiceledger.shared.InputBounds;
import com.voiceledger.spendcap.AssistantBudget;
import com.voiceledger.spendcap.AssistantBudgets;
import com.voiceledger.spendcap.Concurrency;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.spendcap.SpendStatus;
import com.voiceledger.ui.Chart;
import com.voiceledger.ui.Charts;
import com.voiceledger.ui.FigureCard;
import com.voiceledger.ui.Formats;
import com.voiceledger.usage.CallLatency;
import com.voiceledger.usage.ResourceNames;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The first page a customer sees: this month's spend against its cap and commitment with a projection,
 * calls, minutes and unit costs against the period before, and where the money goes (by day and layer,
 * by assistant, by model) and how long calls last. Figures come from the rollups. The period and the
 * assistant are in the URL ({@code ?month=2026-10} or {@code ?from=2026-10-03&to=2026-10-16}, and
 * {@code &assistant=}) so a view can be bookmarked and shared.
 */
@Route("dashboard")
@PageTitle("Dashboard · VoiceLedger")
@Menu(title = "Dashboard", order = 5, icon = "vaadin:dashboard")
@RolesAllowed({Role.VIEWER, Role.ADMIN, Role.FINANCE})
class DashboardView extends VerticalLayout implements BeforeEnterObserver {

    /** A choice in the period picker: a billing month, or "custom" (range null) to pick days. */
    record PeriodOption(String label, @Nullable DayRange range) {
        static final PeriodOption CUSTOM = new PeriodOption("Custom period…", null);
    }

    private final CustomerScope scope;
    private final RatingQueries rating;
    private final SpendCaps spendCaps;
    private final BurnDowns burnDowns;
    private final Clock clock;
    /** The shown customer's currency, for the grids' money columns (set before their rows). */
    private String currency = "USD";
    private final ResourceNames names;
    /** The shown customer's assistant names: shown where the id was, the id stays in the CSV. */
    private Map<String, String> assistantNames = Map.of();
    final ComboBox<PeriodOption> period = new ComboBox<>("Period");
    final DatePicker from = new DatePicker("From");
    final DatePicker to = new DatePicker("To (inclusive)");
    final ComboBox<String> assistant = new ComboBox<>("Assistant");
    final Paragraph filterNote = new Paragraph();
    final Div cards = new Div();
    final Grid<Map.Entry<LocalDate, Map<String, BigDecimal>>> daily = new Grid<>();
    final Grid<RatingQueries.KeyedCharge> byAssistant = new Grid<>(RatingQueries.KeyedCharge.class, false);
    final Grid<RatingQueries.KeyedCharge> byModel = new Grid<>(RatingQueries.KeyedCharge.class, false);
    final Grid<RatingQueries.DurationCount> durations = new Grid<>(RatingQueries.DurationCount.class, false);
    private final Anchor csv = new Anchor("", "Calls as CSV");
    final Chart dailyChart = new Chart(Map.of(), "Daily spend by layer (the table below has the figures)");
    final Chart compositionChart = new Chart(Map.of(), "Cost composition by layer");
    final Chart assistantChart = new Chart(Map.of(), "Spend by assistant, largest ten (the table below has all)");
    final Chart modelChart = new Chart(Map.of(), "Spend by model, largest ten (the table below has all)");
    final Chart durationChart = new Chart(Map.of(), "Calls by duration (the table beside has the counts)");
    /** Calls at once per hour against the contract's limit (issue #29), from the hourly peaks kept at admission. */
    final Chart concurrencyChart = new Chart(Map.of(), "Most calls at once per hour, last 24 hours, against your limit");
    final Paragraph concurrencyNote = new Paragraph();
    /** Each assistant budget's burn-down this month, by assistant id (issue #29). */
    final Map<String, Chart> budgetCharts = new LinkedHashMap<>();
    final VerticalLayout budgetSection = new VerticalLayout();
    private final AssistantBudgets assistantBudgets;
    final Chart latencyChart = new Chart(Map.of(),
            "Latency per layer by day, p50 and p95 in ms (the table below has the period's figures)");
    final Chart perMinuteChart = new Chart(Map.of(), "Cost per minute by day");
    final Grid<Map.Entry<String, LayerLatency>> latency = new Grid<>();
    private final Latencies latencies;

    DashboardView(CustomerScope scope, RatingQueries rating, SpendCaps spendCaps, BurnDowns burnDowns, Clock clock,
            ResourceNames names, AssistantBudgets assistantBudgets, Latencies latencies) {
        this.names = names;
        this.assistantBudgets = assistantBudgets;
        this.latencies = latencies;
        this.scope = scope;
        this.rating = rating;
        this.spendCaps = spendCaps;
        this.burnDowns = burnDowns;
        this.clock = clock;
        addClassName("vl-page");
        cards.addClassName("vl-cards");
        period.setItemLabelGenerator(PeriodOption::label);
        period.addValueChangeListener(event -> {
            if (!event.isFromClient() || event.getValue() == null) {
                return;
            }
            if (event.getValue().range() == null) {
                // custom: start from the period shown, the user narrows it with the date pickers
                showCustomPickers(true);
                from.focus();
            } else {
                navigate(event.getValue().range(), assistant.getValue());
            }
        });
        for (DatePicker picker : List.of(from, to)) {
            picker.addValueChangeListener(event -> {
                if (event.isFromClient() && from.getValue() != null && to.getValue() != null) {
                    if (to.getValue().isBefore(from.getValue())) {
                        to.setInvalid(true);
                        to.setErrorMessage("Ends before it starts");
                    } else if (DayRange.inclusive(from.getValue(), to.getValue()).days() > DayRange.MAX_DAYS) {
                        to.setInvalid(true);
                        to.setErrorMessage("At most " + DayRange.MAX_DAYS + " days");
                    } else {
                        navigate(DayRange.inclusive(from.getValue(), to.getValue()), assistant.getValue());
                    }
                }
            });
        }
        assistant.setPlaceholder("All assistants");
        assistant.setClearButtonVisible(true);
        assistant.addValueChangeListener(event -> {
            if (event.isFromClient()) {
                navigate(shownRange(), event.getValue());
            }
        });
        filterNote.addClassName("vl-muted");
        csv.setRouterIgnore(true);
        for (Grid<RatingQueries.KeyedCharge> grid : List.of(byAssistant, byModel)) {
            boolean assistants = grid == byAssistant;
            grid.addColumn(row -> assistants ? assistantLabel(row.key()) : row.key())
                    .setHeader(assistants ? "Assistant" : "Layer and model")
                    .setFlexGrow(1);
            grid.addColumn(row -> Formats.money(row.charge(), currency)).setHeader("Charge")
                    .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
            grid.setAllRowsVisible(true);
            grid.setEmptyStateText("No usage in this period.");
        }
        durations.addColumn(RatingQueries.DurationCount::label).setHeader("Duration").setFlexGrow(1);
        durations.addColumn(RatingQueries.DurationCount::calls).setHeader("Calls").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        durations.setAllRowsVisible(true);
        showCustomPickers(false);
        HorizontalLayout bar = new HorizontalLayout(period, from, to, assistant, csv);
        bar.setWrap(true);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        HorizontalLayout splits = new HorizontalLayout(column("By assistant", assistantChart, byAssistant),
                column("By model", modelChart, byModel));
        splits.setWidthFull();
        splits.setWrap(true);
        daily.setAllRowsVisible(true);
        HorizontalLayout charts = new HorizontalLayout(dailyChart, compositionChart);
        charts.setWidthFull();
        // side by side at desk width (2 : 1), stacked on a phone
        charts.setWrap(true);
        share(dailyChart, 2, "24rem");
        share(compositionChart, 1, "16rem");
        HorizontalLayout durationRow = new HorizontalLayout(durationChart, durations);
        durationRow.setWidthFull();
        durationRow.setWrap(true);
        share(durationChart, 2, "24rem");
        durations.setWidth(null);
        durations.getStyle().set("flex", "1 1 14rem");
        concurrencyChart.setWidthFull();
        budgetSection.setPadding(false);
        latency.addColumn(Map.Entry::getKey).setHeader("Layer").setFlexGrow(1);
        latency.addColumn(row -> row.getValue().p50Ms() + " ms").setHeader("p50").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        latency.addColumn(row -> row.getValue().p95Ms() + " ms").setHeader("p95").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        latency.addColumn(row -> row.getValue().calls()).setHeader("Calls").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        latency.setAllRowsVisible(true);
        latency.setEmptyStateText("No latency reported in this period.");
        HorizontalLayout latencyRow = new HorizontalLayout(latencyChart, perMinuteChart);
        latencyRow.setWidthFull();
        latencyRow.setWrap(true);
        share(latencyChart, 2, "24rem");
        share(perMinuteChart, 1, "16rem");
        add(new H2("Dashboard"), bar, filterNote, cards, new H3("Daily spend by layer"), charts, daily, splits,
                new H3("Latency per layer and cost per minute"), latencyRow, latency,
                new H3("How long calls last"), durationRow, new H3("Calls at once"), concurrencyNote, concurrencyChart,
                new H3("Assistant budgets this month"), budgetSection);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<Customer> resolved = PortalCustomer.resolve(scope, event);
        if (resolved.isEmpty()) {
            return;
        }
        Customer customer = resolved.get();
        ZoneId zone = customer.billingTimeZone();
        YearMonth current = YearMonth.now(clock.withZone(zone));
        // months and days are the customer's billing ones: the label says in which zone
        period.setLabel(Formats.zoneLabel("Period", zone));
        QueryParameters query = event.getLocation().getQueryParameters();
        DayRange shown = requestedRange(query, current);
        List<PeriodOption> options = new ArrayList<>();
        options.add(new PeriodOption("This month (" + current + ")", DayRange.of(current)));
        options.add(new PeriodOption("Last month (" + current.minusMonths(1) + ")", DayRange.of(current.minusMonths(1))));
        Stream.iterate(current.minusMonths(2), m -> m.minusMonths(1)).limit(11)
                .forEach(m -> options.add(new PeriodOption(m.toString(), DayRange.of(m))));
        options.add(PeriodOption.CUSTOM);
        period.setItems(options);
        period.setValue(options.stream().filter(option -> shown.equals(option.range())).findFirst()
                .orElse(PeriodOption.CUSTOM));
        from.setValue(shown.from());
        to.setValue(shown.lastDay());
        from.setInvalid(false);
        to.setInvalid(false);
        showCustomPickers(period.getValue() == PeriodOption.CUSTOM);
        assistantNames = names.names(customer.id(), ResourceNames.Kind.ASSISTANT);
        assistant.setItemLabelGenerator(this::assistantLabel);
        assistant.setItems(rating.chargeBy(customer.id(), shown, true, null).stream()
                .map(RatingQueries.KeyedCharge::key).filter(Objects::nonNull).toList());
        String chosen = query.getSingleParameter("assistant").orElse(null);
        assistant.setValue(chosen);
        show(customer, shown, current, chosen);
        showLimits(customer, current);
    }

    /** How many hours of calls at once the chart shows. */
    static final int CONCURRENCY_HOURS = 24;

    /**
     * Calls at once per hour, the last day, against the contract's limit; and each assistant budget's burn-down this
     * month (rated spend day by day, projected to the month's end at its pace so far, against the budget).
     */
    private void showLimits(Customer customer, YearMonth current) {
        ZoneId zone = customer.billingTimeZone();
        Concurrency concurrency = spendCaps.concurrency(customer);
        Map<java.time.Instant, Integer> peaks = new java.util.HashMap<>();
        spendCaps.peaksByHour(customer, CONCURRENCY_HOURS).forEach(hour -> peaks.put(hour.hour(), hour.peak()));
        java.time.Instant thisHour = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        List<String> hours = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        java.time.format.DateTimeFormatter label = java.time.format.DateTimeFormatter.ofPattern("EEE HH:mm",
                java.util.Locale.ENGLISH);
        for (int back = CONCURRENCY_HOURS - 1; back >= 0; back--) {
            java.time.Instant hour = thisHour.minus(java.time.Duration.ofHours(back));
            hours.add(label.format(hour.atZone(zone)));
            values.add(peaks.getOrDefault(hour, 0));
        }
        concurrencyNote.setText("Now " + concurrency.inUse() + " in progress" + (concurrency.limit() == null
                ? "; your contract sets no limit on calls at once"
                : " of the " + concurrency.limit() + " your contract allows") + "; most at once today "
                + concurrency.peakToday() + ". A peak at the line means calls were refused: time to buy more.");
        concurrencyChart.setOptions(Charts.columnsAgainstLimit(hours, new Charts.Series("Most calls at once", values),
                concurrency.limit(), concurrency.limit() == null ? "" : "Limit " + concurrency.limit(),
                Charts.Values.count("calls at once")));

        budgetCharts.clear();
        budgetSection.removeAll();
        List<AssistantBudget> budgets = assistantBudgets.budgets(customer);
        if (budgets.isEmpty()) {
            budgetSection.add(new Paragraph("No assistant has a budget (Settings → Limits and assistant budgets)."));
            return;
        }
        LocalDate today = LocalDate.now(clock.withZone(zone));
        for (AssistantBudget budget : budgets.stream().limit(MOST_BUDGET_CHARTS).toList()) {
            Map<LocalDate, BigDecimal> byDay = new TreeMap<>();
            rating.dailyByLayer(customer.id(), current, budget.assistantId())
                    .forEach(row -> byDay.merge(row.day(), row.charge(), BigDecimal::add));
            List<Charts.Point> used = new ArrayList<>();
            if (byDay.isEmpty() || !byDay.keySet().iterator().next().equals(current.atDay(1))) {
                // the line starts at nothing spent on the 1st: one day of spend alone would draw no line
                used.add(new Charts.Point(current.atDay(1).toString(), BigDecimal.ZERO));
            }
            BigDecimal cumulative = BigDecimal.ZERO;
            for (Map.Entry<LocalDate, BigDecimal> day : byDay.entrySet()) {
                cumulative = cumulative.add(day.getValue());
                used.add(new Charts.Point(day.getKey().toString(), cumulative.setScale(2, RoundingMode.HALF_EVEN)));
            }
            BigDecimal projectedEnd = cumulative.multiply(BigDecimal.valueOf(current.lengthOfMonth()))
                    .divide(BigDecimal.valueOf(today.getDayOfMonth()), 2, RoundingMode.HALF_EVEN);
            Charts.Point start = used.getLast();
            List<Charts.Point> projected = List.of(start,
                    new Charts.Point(current.atEndOfMonth().toString(), projectedEnd));
            String name = assistantLabel(budget.assistantId());
            Chart chart = new Chart(Charts.burnDown(used, projected, budget.monthlyAmount(),
                    "Budget " + Formats.money(budget.monthlyAmount(), budget.currency()),
                    Charts.Values.money(budget.currency())), "Budget burn-down of " + name);
            chart.setWidthFull();
            budgetCharts.put(budget.assistantId(), chart);
            budgetSection.add(new Paragraph(name + ": " + Formats.money(budget.spent(), budget.currency()) + " of "
                    + Formats.money(budget.monthlyAmount(), budget.currency()) + " spent incl. calls in progress ("
                    + (budget.percent() == null ? 0 : budget.percent()) + " %), projected "
                    + Formats.money(projectedEnd, budget.currency()) + " by month end."), chart);
        }
    }

    /** Budget charts on one page at most (the Settings table lists every budget). */
    static final int MOST_BUDGET_CHARTS = 10;

    /** The period in the address; this month when there is none or it does not parse. */
    static DayRange requestedRange(QueryParameters query, YearMonth current) {
        try {
            Optional<String> first = query.getSingleParameter("from");
            Optional<String> last = query.getSingleParameter("to");
            if (first.isPresent() && last.isPresent()) {
                DayRange range = DayRange.inclusive(InputBounds.date("from", first.get()), InputBounds.date("to", last.get()));
                return range.days() <= DayRange.MAX_DAYS ? range : DayRange.of(current);
            }
            return DayRange.of(query.getSingleParameter("month").map(text -> InputBounds.month("month", text)).orElse(current));
        } catch (RuntimeException e) {
            return DayRange.of(current);
        }
    }

    private DayRange shownRange() {
        if (period.getValue() != null && period.getValue().range() != null) {
            return period.getValue().range();
        }
        return DayRange.inclusive(from.getValue(), to.getValue());
    }

    private void showCustomPickers(boolean visible) {
        from.setVisible(visible);
        to.setVisible(visible);
    }

    private void navigate(DayRange shown, @Nullable String chosenAssistant) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (shown.isMonth()) {
            parameters.put("month", YearMonth.from(shown.from()).toString());
        } else {
            parameters.put("from", shown.from().toString());
            parameters.put("to", shown.lastDay().toString());
        }
        if (chosenAssistant != null) {
            parameters.put("assistant", chosenAssistant);
        }
        getUI().ifPresent(ui -> ui.navigate("dashboard", QueryParameters.simple(parameters)));
    }

    private void show(Customer customer, DayRange shown, YearMonth current, @Nullable String chosenAssistant) {
        String currency = customer.currency();
        this.currency = currency;
        RatingQueries.CallTotals now = rating.totals(customer.id(), shown, chosenAssistant);
        DayRange earlier = shown.isMonth() ? DayRange.of(YearMonth.from(shown.from()).minusMonths(1)) : shown.previous();
        RatingQueries.CallTotals before = rating.totals(customer.id(), earlier, chosenAssistant);
        String beforeLabel = shown.isMonth() ? "last month " : "previous " + shown.days() + " days ";
        cards.removeAll();
        if (shown.equals(DayRange.of(current))) {
            int elapsed = LocalDate.now(clock.withZone(customer.billingTimeZone())).getDayOfMonth();
            BigDecimal projection = now.charge().multiply(BigDecimal.valueOf(current.lengthOfMonth()))
                    .divide(BigDecimal.valueOf(elapsed), 2, RoundingMode.HALF_EVEN);
            cards.add(FigureCard.of("Spend this month", Formats.total(now.charge(), currency),
                    "projected " + Formats.total(projection, currency) + " by month end"));
            if (chosenAssistant == null) {
                // caps and commitments are the customer's, not one assistant's
                SpendStatus status = spendCaps.status(customer);
                cards.add(FigureCard.of("Spend cap", status.cap() == null ? "none" : Formats.money(status.cap(), currency),
                        status.cap() == null ? "" : status.percent() + " % used incl. calls in progress"));
                burnDowns.commitment(customer).ifPresent(commitment -> cards.add(FigureCard.of("Commitment",
                        Formats.money(commitment.level(), currency), Formats.money(commitment.usedToDate(), currency)
                                + " used since " + commitment.periodStart())));
            }
        } else {
            cards.add(FigureCard.of("Spend", Formats.total(now.charge(), currency), beforeLabel
                    + Formats.total(before.charge(), currency)));
        }
        cards.add(FigureCard.of("Calls", Long.toString(now.calls()), beforeLabel + before.calls()));
        cards.add(FigureCard.of("Minutes", minutes(now), beforeLabel + minutes(before)));
        cards.add(FigureCard.of("Per minute", perMinute(now, currency), beforeLabel + perMinute(before, currency)));
        cards.add(FigureCard.of("Per call", perCall(now, currency), beforeLabel + perCall(before, currency)));

        Map<LocalDate, Map<String, BigDecimal>> byDay = new TreeMap<>();
        TreeSet<String> layers = new TreeSet<>();
        for (RatingQueries.DailyLayerCharge row : rating.dailyByLayer(customer.id(), shown, chosenAssistant)) {
            byDay.computeIfAbsent(row.day(), day -> new TreeMap<>()).merge(row.layer(), row.charge(), BigDecimal::add);
            layers.add(row.layer());
        }
        daily.removeAllColumns();
        daily.addColumn(row -> row.getKey().toString()).setHeader("Day").setAutoWidth(true).setFlexGrow(0);
        for (String layer : layers) {
            daily.addColumn(row -> Formats.money(row.getValue().getOrDefault(layer, BigDecimal.ZERO), currency)).setHeader(layer).setTextAlign(ColumnTextAlign.END);
        }
        daily.addColumn(row -> Formats.money(row.getValue().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add),
                currency)).setHeader("Total").setTextAlign(ColumnTextAlign.END);
        daily.setItems(List.copyOf(byDay.entrySet()));
        // a month reads as day numbers; a custom period may span months, so it shows dates
        List<String> days = byDay.keySet().stream().map(day -> shown.isMonth() ? Integer.toString(day.getDayOfMonth())
                : day.toString()).toList();
        List<Charts.Series> series = layers.stream().map(layer -> new Charts.Series(layer, byDay.values().stream()
                .map(values -> values.getOrDefault(layer, BigDecimal.ZERO).setScale(2, RoundingMode.HALF_EVEN))
                .toList())).toList();
        dailyChart.setOptions(Charts.stackedBars(days, series, Charts.Values.money(currency)));
        compositionChart.setOptions(Charts.donut(List.copyOf(layers), layers.stream().map(layer -> byDay.values()
                .stream().map(values -> values.getOrDefault(layer, BigDecimal.ZERO)).reduce(BigDecimal.ZERO,
                        BigDecimal::add).setScale(2, RoundingMode.HALF_EVEN)).toList(), Charts.Values.money(currency)));
        daily.setEmptyStateText("No calls in " + shown + " yet.");
        showSplit(byAssistant, assistantChart, rating.chargeBy(customer.id(), shown, true, chosenAssistant), currency,
                this::assistantLabel);
        showSplit(byModel, modelChart, rating.chargeBy(customer.id(), shown, false, chosenAssistant), currency,
                key -> Objects.requireNonNullElse(key, "–"));
        List<RatingQueries.DurationCount> distribution = rating.durationDistribution(customer.id(), shown,
                chosenAssistant);
        durations.setItems(distribution);
        showLatency(customer, shown, chosenAssistant, currency);
        durationChart.setOptions(Charts.columns(distribution.stream().map(RatingQueries.DurationCount::label).toList(),
                new Charts.Series("Calls", distribution.stream().map(RatingQueries.DurationCount::calls).toList()),
                Charts.Values.count("calls")));
        filterNote.setText(chosenAssistant == null ? "" : "Showing assistant " + assistantLabel(chosenAssistant)
                + " only. Spend cap and commitment are for all assistants: clear the filter to see them.");
        filterNote.setVisible(chosenAssistant != null);
        ZoneId zone = customer.billingTimeZone();
        csv.setHref("api/v1/calls.csv?from=" + shown.from().atStartOfDay(zone).toInstant()
                + "&to=" + shown.to().atStartOfDay(zone).toInstant());
        csv.getElement().setAttribute("title", "Calls of " + shown + " (" + zone.getId() + ")");
    }

    /**
     * Latency per layer by day (p50 and p95, from the latency rollup: decision 0075) beside the cost per minute of
     * the same days; the grid has the period's percentiles.
     */
    private void showLatency(Customer customer, DayRange shown, @Nullable String chosenAssistant, String currency) {
        LocalDate end = shown.lastDay().plusDays(1);
        latency.setItems(List.copyOf(latencies.period(customer, shown.from(), end, chosenAssistant).entrySet()));
        List<LatencyPoint> points = latencies.daily(customer, shown.from(), end, chosenAssistant);
        TreeSet<LocalDate> days = new TreeSet<>();
        points.forEach(point -> days.add(point.day()));
        List<String> labels = days.stream().map(day -> shown.isMonth() ? Integer.toString(day.getDayOfMonth())
                : day.toString()).toList();
        List<Charts.Series> series = new java.util.ArrayList<>();
        for (String layer : CallLatency.LAYERS) {
            if (points.stream().noneMatch(point -> point.layer().equals(layer))) {
                continue;
            }
            for (boolean p95 : new boolean[] {false, true}) {
                List<@Nullable Integer> values = new java.util.ArrayList<>();
                for (LocalDate day : days) {
                    values.add(points.stream().filter(point -> point.day().equals(day) && point.layer().equals(layer))
                            .map(point -> p95 ? point.p95Ms() : point.p50Ms()).findFirst().orElse(null));
                }
                series.add(new Charts.Series(layer + (p95 ? " p95" : " p50"), values));
            }
        }
        latencyChart.setOptions(Charts.lines(labels, series, Charts.Values.count("ms")));
        // cost per minute of the same days, from the rating rollups (one small read per day shown)
        List<BigDecimal> perMinute = new java.util.ArrayList<>();
        for (LocalDate day : days) {
            RatingQueries.CallTotals totals = rating.totals(customer.id(), DayRange.inclusive(day, day), chosenAssistant);
            perMinute.add(totals.durationSeconds() == 0 ? null : totals.charge().multiply(BigDecimal.valueOf(60))
                    .divide(BigDecimal.valueOf(totals.durationSeconds()), 4, RoundingMode.HALF_EVEN));
        }
        perMinuteChart.setOptions(Charts.lines(labels, List.of(new Charts.Series("Per minute", perMinute)),
                Charts.Values.money(currency)));
    }

    private static void share(Chart chart, int grow, String basis) {
        chart.setWidth(null);
        chart.getStyle().set("flex", grow + " 1 " + basis).set("min-width", "0");
    }

    /** The table has every row; the chart, drawn from the same rows, the largest ten (rows come largest first). */
    private static void showSplit(Grid<RatingQueries.KeyedCharge> grid, Chart chart, List<RatingQueries.KeyedCharge> rows,
            String currency, java.util.function.Function<@Nullable String, String> label) {
        grid.setItems(rows);
        List<RatingQueries.KeyedCharge> top = rows.subList(0, Math.min(10, rows.size()));
        chart.setOptions(Charts.horizontalBars(top.stream().map(row -> label.apply(row.key()))
                .toList(), new Charts.Series("Spend", top.stream().map(row -> row.charge()
                .setScale(2, RoundingMode.HALF_EVEN)).toList()), Charts.Values.money(currency)));
    }

    private String assistantLabel(@Nullable String id) {
        return id == null ? "–" : assistantNames.getOrDefault(id, id);
    }

    private static VerticalLayout column(String title, Chart chart, Grid<?> grid) {
        VerticalLayout column = new VerticalLayout(new H3(title), chart, grid);
        column.setPadding(false);
        column.setWidth(null);
        column.getStyle().set("flex", "1 1 22rem").set("min-width", "0");
        return column;
    }


    private static String minutes(RatingQueries.CallTotals totals) {
        return BigDecimal.valueOf(totals.durationSeconds()).divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_EVEN)
                .toPlainString();
    }

    private static String perMinute(RatingQueries.CallTotals totals, String currency) {
        return totals.durationSeconds() == 0 ? "–" : Formats.precise(totals.charge().multiply(BigDecimal.valueOf(60))
                .divide(BigDecimal.valueOf(totals.durationSeconds()), 4, RoundingMode.HALF_EVEN), currency);
    }

    private static String perCall(RatingQueries.CallTotals totals, String currency) {
        return totals.calls() == 0 ? "–" : Formats.precise(totals.charge().divide(BigDecimal.valueOf(totals.calls()), 4,
                RoundingMode.HALF_EVEN), currency);
    }
}
