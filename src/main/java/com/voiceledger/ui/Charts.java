package com.voiceledger.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ApexCharts options for the kinds of chart the app draws. Pure data: no Vaadin, no HTTP. */
public final class Charts {

    /** Enough distinct colours for every layer (ApexCharts' default palette repeats after five). */
    static final List<String> PALETTE = List.of("#1676f3", "#13a85b", "#f4a100", "#e5484d", "#8e4ec6", "#0097a7",
            "#6d4c41", "#546e7a");

    private Charts() {
    }

    /** A named series of numbers (sent as decimal strings turned into numbers only for drawing). */
    public record Series(String name, List<? extends Number> data) {
    }

    public static Map<String, Object> stackedBars(List<String> categories, List<Series> series, String unit) {
        Map<String, Object> options = base(series);
        options.put("chart", Map.of("type", "bar", "stacked", true, "height", 320, "toolbar", Map.of("show", false)));
        options.put("xaxis", Map.of("categories", categories));
        options.put("yaxis", Map.of("title", Map.of("text", unit)));
        return options;
    }

    public static Map<String, Object> horizontalBars(List<String> categories, Series series, String unit) {
        Map<String, Object> options = base(List.of(series));
        options.put("chart", Map.of("type", "bar", "height", Math.max(200, 40 * categories.size()),
                "toolbar", Map.of("show", false)));
        // Below zero is a loss: drawn red so it reads at a glance, as the grid's red rows do.
        options.put("plotOptions", Map.of("bar", Map.of("horizontal", true,
                "colors", Map.of("ranges", List.of(Map.of("from", -1.0e12, "to", 0, "color", "#d32f2f"))))));
        options.put("xaxis", Map.of("categories", categories, "title", Map.of("text", unit)));
        return options;
    }

    public static Map<String, Object> donut(List<String> labels, List<? extends Number> values) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("chart", Map.of("type", "donut", "height", 300));
        options.put("series", values);
        options.put("labels", labels);
        options.put("colors", PALETTE);
        return options;
    }

    private static Map<String, Object> base(List<Series> series) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("series", series);
        options.put("colors", PALETTE);
        options.put("dataLabels", Map.of("enabled", false));
        options.put("tooltip", Map.of("enabled", true));
        options.put("legend", Map.of("position", "top"));
        return options;
    }
}
