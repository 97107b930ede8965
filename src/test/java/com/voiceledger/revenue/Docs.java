package com.voiceledger.revenue;

import com.voiceledger.revenue.Document.PrepaidPeriod;
import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Test documents written as billing would issue them, and figures written as a person reads them. */
final class Docs {

    private static final AtomicLong IDS = new AtomicLong(1000);

    private Docs() {
    }

    /**
     * An invoice of a customer-month from its line amounts: {@code "usage 320.00"}, {@code "prepaid +500.00"},
     * {@code "prepaid -320.00"}, {@code "credit -50.00"}; it bills the sum of its lines.
     */
    static Document invoice(long customer, String month, @Nullable PrepaidPeriod period, String... lines) {
        Map<Category, BigDecimal> amounts = new EnumMap<>(Category.class);
        BigDecimal invoiced = new BigDecimal("0.00");
        for (String line : lines) {
            String[] parts = line.split(" ");
            BigDecimal amount = new BigDecimal(parts[1]);
            invoiced = invoiced.add(amount);
            Category category = switch (parts[0]) {
                case "usage" -> Category.USAGE;
                case "minimum_charge" -> Category.MINIMUM_CHARGE;
                case "overage" -> Category.OVERAGE;
                case "true_up" -> Category.TRUE_UP;
                case "late_usage" -> Category.LATE_USAGE;
                case "credit" -> Category.CREDITS;
                case "prepaid" -> amount.signum() >= 0 ? Category.DEFERRED_ADDED : Category.DEFERRED_DRAWN;
                default -> throw new IllegalArgumentException(line);
            };
            amounts.merge(category, category == Category.DEFERRED_DRAWN ? amount.negate() : amount, BigDecimal::add);
        }
        long id = IDS.incrementAndGet();
        return new Document(id, CustomerId.of(customer), "USD", false, "VL-" + month.replace("-", "") + "-" + id,
                YearMonth.parse(month), amounts, invoiced, period);
    }

    static Document invoice(long customer, String month, String... lines) {
        return invoice(customer, month, null, lines);
    }

    /** A credit note issued in {@code month}. */
    static Document creditNote(long customer, String month, String amount) {
        long id = IDS.incrementAndGet();
        return new Document(id, CustomerId.of(customer), "USD", true, "VL-CN-" + id, YearMonth.parse(month),
                Map.of(Category.CREDIT_NOTES, new BigDecimal(amount)), new BigDecimal(amount), null);
    }

    static PrepaidPeriod period(String start, String lastMonth) {
        return new PrepaidPeriod(YearMonth.parse(start).atDay(1), YearMonth.parse(lastMonth));
    }

    /**
     * {@code "usage 320.00, breakage 180.00 = 500.00 | deferred 0.00 + 500.00 - 320.00 - 180.00 = 0.00 | invoiced
     * 500.00 ok"}: the revenue categories that are not zero, the total, the roll-forward and the check.
     */
    static String figures(RollForward figures) {
        String recognized = figures.recognized().entrySet().stream().filter(e -> e.getValue().signum() != 0)
                .map(e -> e.getKey().key() + " " + e.getValue().toPlainString()).collect(Collectors.joining(", "));
        RollForward.Deferred d = figures.deferred();
        return (recognized.isEmpty() ? "nothing" : recognized) + " = " + figures.total().toPlainString()
                + " | deferred " + d.opening() + " + " + d.added() + " - " + d.recognized() + " - " + d.breakage()
                + " = " + d.closing() + " | invoiced " + figures.check().invoiced() + (figures.check().ok() ? " ok"
                        : " DIFFERS by " + figures.check().difference());
    }
}
