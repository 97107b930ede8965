package com.voiceledger.revenue.ui;

import com.voiceledger.revenue.Category;
import com.voiceledger.revenue.RollForward;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ApexCharts options for the revenue trend: recognized revenue by category as stacked columns (credits
 * and credit notes below zero) and the deferred balance at each month's end as a line. Pure data.
 */
final class RevenueCharts {

    static final Map<Category, String> LABELS = labels();
    static final List<String> COLORS = List.of("#1676f3", "#13a85b", "#f4a100", "#8e4ec6", "#0097a7", "#6d4c41",
            "#e5484d", "#d81b60", "#263238");

    private RevenueCharts() {
    }

    static Map<String, Object> trend(List<RollForward> months) {
        List<String> categories = months.stream().map(month -> month.month().toString()).toList();
        List<Map<String, Object>> series = new ArrayList<>();
        for (Category category : Category.REVENUE) {
            series.add(Map.of("name", LABELS.get(category), "type", "column",
                    "data", months.stream().map(month -> month.recognized().get(category)).toList()));
        }
        series.add(Map.of("name", "Deferred balance (end of month)", "type", "line",
                "data", months.stream().map(month -> month.deferred().closing()).toList()));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("chart", Map.of("type", "line", "stacked", true, "height", 340, "toolbar", Map.of("show", false)));
        options.put("series", series);
        options.put("colors", COLORS);
        options.put("stroke", Map.of("width", widths(series.size())));
        options.put("dataLabels", Map.of("enabled", false));
        options.put("legend", Map.of("position", "top"));
        options.put("xaxis", Map.of("categories", categories));
        options.put("yaxis", Map.of("title", Map.of("text", months.isEmpty() ? "" : months.getFirst().currency()),
                "decimalsInFloat", 2));
        options.put("tooltip", Map.of("shared", true, "intersect", false));
        return options;
    }

    /** Columns without an outline, the deferred line 3 px wide. */
    private static List<Integer> widths(int series) {
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < series - 1; i++) {
            widths.add(0);
        }
        widths.add(3);
        return widths;
    }

    private static Map<Category, String> labels() {
        Map<Category, String> labels = new LinkedHashMap<>();
        labels.put(Category.USAGE, "Usage");
        labels.put(Category.MINIMUM_CHARGE, "Minimum charge");
        labels.put(Category.OVERAGE, "Overage");
        labels.put(Category.TRUE_UP, "True-up");
        labels.put(Category.LATE_USAGE, "Late usage");
        labels.put(Category.BREAKAGE, "Breakage");
        labels.put(Category.CREDITS, "Credits (contra-revenue)");
        labels.put(Category.CREDIT_NOTES, "Credit notes");
        return labels;
    }
}
