package com.voiceledger.shared;

import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** CSV as spreadsheets read it: RFC 4180 quoting, and formulas defused in values that come from outside. */
public final class Csv {

    private Csv() {
    }

    public static String row(Object... values) {
        return Stream.of(values).map(Csv::field).collect(Collectors.joining(",")) + "\r\n";
    }

    public static String field(Object value) {
        String text = Objects.toString(value, "");
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text.startsWith("=") || text.startsWith("+") || text.startsWith("@") ? "'" + text : text;
    }
}
