package com.voiceledger.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * ApexCharts options for the kinds of chart the app draws. Pure data: no Vaadin, no HTTP. Each chart says
 * what its values are ({@link Values}): {@code vl-chart.js} writes axis ticks and tooltips from that with
 * the same rule as the tables ({@link Formats}, docs/decisions/0043-one-money-format.md).
 *
 * <p>Labels, categories and series names are sent as the plain text they are (an assistant's name as its
 * customer typed it): {@code vl-chart.js} is the one place that escapes them where ApexCharts writes HTML
 * (tooltips, legends), so nothing here escapes or trusts them (issue 25; ScriptInNamesBrowserIT).
 */
public final class Charts {

    /** Enough distinct colours for every layer (ApexCharts' default palette repeats after five). */
    static final List<String> PALETTE = List.of("#1676f3", "#13a85b", "#f4a100", "#e5484d", "#8e4ec6", "#0097a7",
            "#6d4c41", "#546e7a");

    private Charts() {
    }

    /** A named series of numbers (sent as decimal strings turned into numbers only for drawing). */
    public record Series(String name, List<? extends Number> data) {
    }

    /**
     * What a chart's values are, for its axis and tooltips: money in a currency (its minor unit, more
     * decimals only where a tick needs them, the currency after the number) or a count (whole numbers
     * only: no tick between two integers). Sent as {@code vlValues}; the browser builds the formatters.
     */
    public record Values(String kind, String currency, int minorDigits, String label) {

        public static Values money(String currency) {
            return new Values("money", currency, Formats.minorDigits(currency), currency);
        }

        public static Values count(String label) {
            return new Values("count", "", 0, label);
        }

        Map<String, Object> json() {
            return Map.of("kind", kind, "currency", currency, "minorDigits", minorDigits);
        }
    }

    /** A point on a time axis: an ISO date and a value. */
    public record Point(String x, Number y) {
    }

    /**
     * How a commitment is used up: the cumulative use so far (solid), the projection to the period's
     * end (dashed) and the committed level as a horizontal line.
     */
    public static Map<String, Object> burnDown(List<Point> used, List<Point> projected, Number level,
            String levelLabel, Values values) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("chart", Map.of("type", "line", "height", 280, "toolbar", Map.of("show", false),
                "zoom", Map.of("enabled", false)));
        options.put("series", List.of(Map.of("name", "Used", "data", used),
                Map.of("name", "Projected", "data", projected)));
        options.put("colors", PALETTE);
        options.put("stroke", Map.of("width", List.of(3, 2), "dashArray", List.of(0, 6), "curve", "straight"));
        options.put("xaxis", Map.of("type", "datetime"));
        // the committed level must be in view even when use is far below it: that gap is the story
        double top = Stream.concat(used.stream(), projected.stream())
                .mapToDouble(point -> point.y().doubleValue()).reduce(level.doubleValue(), Math::max);
        options.put("yaxis", Map.of("min", 0, "max", top * 1.1, "forceNiceScale", true,
                "title", Map.of("text", values.label())));
        options.put("vlValues", values.json());
        options.put("legend", Map.of("position", "top"));
        options.put("annotations", Map.of("yaxis", List.of(Map.of("y", level, "borderColor", "#e5484d",
                "strokeDashArray", 0, "label", Map.of("text", levelLabel)))));
        return options;
    }

    /** Lines over categories (days), one per series; a series may have gaps (null: no value that day). */
    public static Map<String, Object> lines(List<String> categories, List<Series> series, Values values) {
        Map<String, Object> options = base(series, values);
        options.put("chart", Map.of("type", "line", "height", 300, "toolbar", Map.of("show", false),
                "zoom", Map.of("enabled", false)));
        options.put("stroke", Map.of("width", 2, "curve", "straight"));
        options.put("markers", Map.of("size", 3));
        options.put("xaxis", Map.of("categories", categories));
        options.put("yaxis", Map.of("min", 0, "title", Map.of("text", values.label()), "forceNiceScale", true));
        return options;
    }

    public static Map<String, Object> stackedBars(List<String> categories, List<Series> series, Values values) {
        Map<String, Object> options = base(series, values);
        options.put("chart", Map.of("type", "bar", "stacked", true, "height", 320, "toolbar", Map.of("show", false)));
        options.put("xaxis", Map.of("categories", categories));
        options.put("yaxis", Map.of("title", Map.of("text", values.label()), "forceNiceScale", true));
        return options;
    }

    /** Vertical bars of one series over categories (a distribution: calls per duration bucket). */
    public static Map<String, Object> columns(List<String> categories, Series series, Values values) {
        Map<String, Object> options = base(List.of(series), values);
        options.put("chart", Map.of("type", "bar", "height", 280, "toolbar", Map.of("show", false)));
        options.put("xaxis", Map.of("categories", categories));
        Map<String, Object> yaxis = new LinkedHashMap<>(Map.of("title", Map.of("text", values.label()),
                "forceNiceScale", true));
        yaxis.putAll(wholeTicks(series, values));
        options.put("yaxis", yaxis);
        return options;
    }

    /**
     * Columns of a count against a limit drawn as a horizontal line (calls at once per hour against the contract's
     * limit): the limit is kept in view even when the columns are far below it, and the line says what it is.
     * Without a limit, plain columns.
     */
    public static Map<String, Object> columnsAgainstLimit(List<String> categories, Series series,
            @org.jspecify.annotations.Nullable Integer limit, String limitLabel, Values values) {
        Map<String, Object> options = columns(categories, series, values);
        if (limit == null) {
            return options;
        }
        double top = series.data().stream().mapToDouble(Number::doubleValue).reduce(limit, Math::max);
        Map<String, Object> yaxis = new LinkedHashMap<>(Map.of("title", Map.of("text", values.label()),
                "min", 0, "max", Math.ceil(top * 1.1), "forceNiceScale", true));
        options.put("yaxis", yaxis);
        options.put("annotations", Map.of("yaxis", List.of(Map.of("y", limit, "borderColor", "#e5484d",
                "strokeDashArray", 0, "label", Map.of("text", limitLabel)))));
        return options;
    }

    /**
     * A count whose largest value is small gets one tick per whole number: ApexCharts would otherwise put
     * ticks at halves, which whole-number labels turn into 0, 1, 1, 2, 2.
     */
    private static Map<String, Object> wholeTicks(Series series, Values values) {
        if (!values.kind().equals("count")) {
            return Map.of();
        }
        double max = series.data().stream().mapToDouble(Number::doubleValue).max().orElse(0);
        return max <= 5 ? Map.of("min", 0, "max", Math.max(1, (int) Math.ceil(max)), "tickAmount",
                Math.max(1, (int) Math.ceil(max))) : Map.of("min", 0);
    }

    public static Map<String, Object> horizontalBars(List<String> categories, Series series, Values values) {
        Map<String, Object> options = base(List.of(series), values);
        options.put("chart", Map.of("type", "bar", "height", Math.max(200, 40 * categories.size()),
                "toolbar", Map.of("show", false)));
        // Below zero is a loss: drawn red so it reads at a glance, as the grid's red rows do.
        options.put("plotOptions", Map.of("bar", Map.of("horizontal", true,
                "colors", Map.of("ranges", List.of(Map.of("from", -1.0e12, "to", 0, "color", "#d32f2f"))))));
        options.put("xaxis", Map.of("categories", categories, "title", Map.of("text", values.label()),
                "tickAmount", 6));
        return options;
    }

    public static Map<String, Object> donut(List<String> labels, List<? extends Number> data, Values values) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("chart", Map.of("type", "donut", "height", 300));
        options.put("series", data);
        options.put("labels", labels);
        options.put("colors", PALETTE);
        options.put("vlValues", values.json());
        return options;
    }

    private static Map<String, Object> base(List<Series> series, Values values) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("series", series);
        options.put("vlValues", values.json());
        options.put("colors", PALETTE);
        options.put("dataLabels", Map.of("enabled", false));
        options.put("tooltip", Map.of("enabled", true));
        options.put("legend", Map.of("position", "top"));
        return options;
    }
}
