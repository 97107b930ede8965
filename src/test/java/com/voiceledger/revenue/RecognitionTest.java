package com.voiceledger.revenue;

import static com.voiceledger.revenue.Docs.creditNote;
import static com.voiceledger.revenue.Docs.figures;
import static com.voiceledger.revenue.Docs.invoice;
import static com.voiceledger.revenue.Docs.period;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BILLING-RULES §6 on hand-worked examples: each case is the documents billing issued (one customer,
 * USD), the month asked for, and the month's figures worked out by hand, the arithmetic beside them.
 */
class RecognitionTest {

    static Stream<Arguments> cases() {
        // a quarterly prepaid commitment of 3,000.00: Jan uses 800, Feb 1,200, Mar 700 (2,700 of 3,000)
        List<Document> quarter = List.of(
                invoice(2, "2026-01", period("2026-01", "2026-03"), "usage 800.00", "prepaid +3000.00", "prepaid -800.00"),
                invoice(2, "2026-02", period("2026-01", "2026-03"), "usage 1200.00", "prepaid -1200.00"),
                invoice(2, "2026-03", period("2026-01", "2026-03"), "usage 700.00", "prepaid -700.00"));
        // postpaid 500.00 a month, overage multiplier 1.5: Jan uses 650, Feb 420
        List<Document> postpaid = List.of(
                invoice(3, "2026-01", "usage 650.00", "overage 75.00"),
                invoice(3, "2026-02", "usage 420.00", "true_up 80.00"));
        List<Document> corrected = List.of(
                invoice(5, "2026-01", "usage 200.00"),
                invoice(5, "2026-02", "usage 100.00"),
                creditNote(5, "2026-02", "-25.00"));
        return Stream.of(
                Arguments.of("a monthly prepaid commitment of 500.00 with 320.00 used: 180.00 breakage in the month",
                        List.of(invoice(1, "2026-01", period("2026-01", "2026-01"), "usage 320.00", "prepaid +500.00",
                                "prepaid -320.00")), "2026-01",
                        // 320 + (500 - 320) = 500 recognized; deferred 0 + 500 - 320 - 180 = 0; billed 500
                        "usage 320.00, breakage 180.00 = 500.00 | deferred 0.00 + 500.00 - 320.00 - 180.00 = 0.00"
                                + " | invoiced 500.00 ok"),
                Arguments.of("a quarterly prepaid commitment, first month: 3,000.00 deferred, 800.00 drawn", quarter,
                        "2026-01",
                        // closing 0 + 3000 - 800 = 2200; check 800 + (2200 - 0) = 3000 billed
                        "usage 800.00 = 800.00 | deferred 0.00 + 3000.00 - 800.00 - 0.00 = 2200.00 | invoiced 3000.00 ok"),
                Arguments.of("a quarterly prepaid commitment, second month: drawn from deferred, nothing billed",
                        quarter, "2026-02",
                        // 2200 - 1200 = 1000; check 1200 + (1000 - 2200) = 0 billed
                        "usage 1200.00 = 1200.00 | deferred 2200.00 + 0.00 - 1200.00 - 0.00 = 1000.00 | invoiced 0.00 ok"),
                Arguments.of("a quarterly prepaid commitment, last month: the 300.00 left is breakage", quarter,
                        "2026-03",
                        // 3000 - 800 - 1200 - 700 = 300 breakage; 1000 - 700 - 300 = 0
                        "usage 700.00, breakage 300.00 = 1000.00 | deferred 1000.00 + 0.00 - 700.00 - 300.00 = 0.00"
                                + " | invoiced 0.00 ok"),
                Arguments.of("a postpaid commitment: overage in the month usage passes it", postpaid, "2026-01",
                        // (1.5 - 1) × (650 - 500) = 75
                        "usage 650.00, overage 75.00 = 725.00 | deferred 0.00 + 0.00 - 0.00 - 0.00 = 0.00"
                                + " | invoiced 725.00 ok"),
                Arguments.of("a postpaid commitment: true-up in the month usage falls short", postpaid, "2026-02",
                        // 500 - 420 = 80
                        "usage 420.00, trueUp 80.00 = 500.00 | deferred 0.00 + 0.00 - 0.00 - 0.00 = 0.00"
                                + " | invoiced 500.00 ok"),
                Arguments.of("free credits are contra-revenue, minimum charges their own category",
                        List.of(invoice(4, "2026-01", "usage 180.40", "minimum_charge 12.60", "credit -50.00")),
                        "2026-01",
                        // 180.40 + 12.60 - 50.00 = 143.00
                        "usage 180.40, minimumCharge 12.60, credits -50.00 = 143.00 | deferred 0.00 + 0.00 - 0.00 - 0.00"
                                + " = 0.00 | invoiced 143.00 ok"),
                Arguments.of("a credit note counts in the month it is issued, not the invoice's", corrected,
                        "2026-02",
                        // Feb invoice 100.00, credit note on January's invoice -25.00
                        "usage 100.00, creditNotes -25.00 = 75.00 | deferred 0.00 + 0.00 - 0.00 - 0.00 = 0.00"
                                + " | invoiced 75.00 ok"),
                Arguments.of("the corrected month itself is unchanged by the credit note", corrected, "2026-01",
                        "usage 200.00 = 200.00 | deferred 0.00 + 0.00 - 0.00 - 0.00 = 0.00 | invoiced 200.00 ok"),
                Arguments.of("a prepaid credit applies after the drawdown: credits reduce what is billed, not deferred",
                        List.of(invoice(6, "2026-01", period("2026-01", "2026-01"), "usage 120.00", "prepaid +300.00",
                                "prepaid -120.00", "credit -100.00")), "2026-01",
                        // 120 + 180 breakage - 100 credit = 200 = billed 300 - 100
                        "usage 120.00, breakage 180.00, credits -100.00 = 200.00 | deferred 0.00 + 300.00 - 120.00"
                                + " - 180.00 = 0.00 | invoiced 200.00 ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recognizesTheMonthAsWorkedByHand(String name, List<Document> documents, String month, String expected) {
        YearMonth which = YearMonth.parse(month);
        List<Entry> entries = Books.EMPTY.entriesUpTo(documents, which);
        assertThat(figures(RollForward.of(which, "USD", entries))).isEqualTo(expected);
    }
}
