package com.voiceledger.shared;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CSV as spreadsheets read it: RFC 4180 quoting, and formulas defused in values that come from
 * outside (OWASP "CSV injection"): a cell starting with {@code = + - @}, a tab or a carriage return is
 * prefixed with a single quote, so a spreadsheet shows it as text instead of running it, whether or
 * not the cell is quoted. Numbers stay numbers: {@code -12.50} is left alone.
 */
public final class Csv {

    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private Csv() {
    }

    public static String row(Object... values) {
        return Stream.of(values).map(Csv::field).collect(Collectors.joining(",")) + "\r\n";
    }

    public static String field(Object value) {
        String text = Objects.toString(value, "");
        if (!text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 && !NUMBER.matcher(text).matches()) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
