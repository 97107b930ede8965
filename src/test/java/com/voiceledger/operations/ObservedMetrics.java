package com.voiceledger.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The PromQL of the alert rules and the dashboard, and the metric names it reads. */
final class ObservedMetrics {

    /** PromQL's functions, aggregations and keywords: the identifiers of a query that are not metric names. */
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar",
            "topk", "bottomk", "quantile", "count_values", "group", "by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "rate", "irate", "increase", "delta", "idelta",
            "deriv", "predict_linear", "histogram_quantile", "label_replace", "label_join", "abs", "absent",
            "absent_over_time", "clamp_min", "clamp_max", "ceil", "floor", "round", "vector", "scalar", "time",
            "timestamp", "changes", "resets", "avg_over_time", "max_over_time", "min_over_time", "sum_over_time",
            "count_over_time", "last_over_time", "sort", "sort_desc", "inf", "nan");
    /** Series Prometheus makes itself from the scrape, not the application. */
    static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

    private static final Pattern EXPR = Pattern.compile("^\\s*expr:\\s*(.+)$", Pattern.MULTILINE);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private ObservedMetrics() {
    }

    static List<String> ruleQueries(Path rules) throws IOException {
        List<String> queries = new ArrayList<>();
        Matcher matcher = EXPR.matcher(Files.readString(rules));
        while (matcher.find()) {
            queries.add(matcher.group(1).strip());
        }
        return queries;
    }

    static List<String> dashboardQueries(Path dashboard) throws IOException {
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(dashboard));
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : root.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asString());
            }
        }
        return queries;
    }

    /**
     * The metric names a query reads: its identifiers once strings, label matchers, grouping label lists,
     * durations and numbers are taken out, less PromQL's own words.
     */
    static Set<String> metricNames(String query) {
        String bare = query.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b\\d[\\d.e+]*\\b", " ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(bare);
        while (matcher.find()) {
            if (!PROMQL_WORDS.contains(matcher.group())) {
                names.add(matcher.group());
            }
        }
        return names;
    }
}
