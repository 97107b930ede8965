package com.voiceledger.revenue;

import static com.voiceledger.revenue.Docs.figures;
import static com.voiceledger.revenue.Docs.invoice;
import static com.voiceledger.revenue.Docs.period;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Month locks with catch-up in the next open month, and the journal entries of a month. */
class LocksAndJournalTest {

    static final YearMonth JAN = YearMonth.of(2026, 1);
    static final YearMonth FEB = YearMonth.of(2026, 2);

    @Test
    void anInvoiceFinalizedAfterItsMonthWasLockedIsRecognizedInTheFirstOpenMonthAndTheLockedMonthNeverChanges() {
        List<Document> documents = new ArrayList<>(List.of(invoice(7, "2026-01", "usage 400.00")));
        Books books = Books.EMPTY;
        books = books.lock(JAN, books.toLock(documents, JAN));
        String januaryAtLock = figures(RollForward.of(JAN, "USD", books.entriesUpTo(documents, JAN)));

        // after the lock: customer 8's January invoice is finalized (held back), and customer 7's February
        // invoice carries a call of January that arrived late
        documents.add(invoice(8, "2026-01", "usage 90.00", "minimum_charge 10.00"));
        documents.add(invoice(7, "2026-02", "usage 250.00", "late_usage 14.00"));

        assertThat(figures(RollForward.of(JAN, "USD", books.entriesUpTo(documents, JAN)))).isEqualTo(januaryAtLock)
                .isEqualTo("usage 400.00 = 400.00 | deferred 0.00 + 0.00 - 0.00 - 0.00 = 0.00 | invoiced 400.00 ok");
        // February: its own 250.00 + 14.00 late usage, and January's held invoice caught up (90.00 + 10.00)
        assertThat(figures(RollForward.of(FEB, "USD", books.entriesUpTo(documents, FEB)))).isEqualTo(
                "usage 340.00, minimumCharge 10.00, lateUsage 14.00 = 364.00 | deferred 0.00 + 0.00 - 0.00 - 0.00"
                        + " = 0.00 | invoiced 364.00 ok");
        Entry caughtUp = books.entriesUpTo(documents, FEB).stream()
                .filter(entry -> entry.customer().equals(CustomerId.of(8)) && entry.category() == Category.USAGE)
                .findFirst().orElseThrow();
        assertThat(caughtUp.month()).isEqualTo(FEB);
        assertThat(caughtUp.billedMonth()).isEqualTo(JAN);
    }

    @Test
    void lockingAMonthLocksTheOpenMonthsBeforeItAndALockedMonthCannotBeLockedAgain() {
        List<Document> documents = List.of(invoice(9, "2026-01", "usage 10.00"), invoice(9, "2026-02", "usage 20.00"));
        List<Entry> stored = Books.EMPTY.toLock(documents, FEB);
        assertThat(stored).extracting(Entry::month).containsOnly(JAN, FEB);
        Books books = Books.EMPTY.lock(FEB, stored);
        assertThat(books.isLocked(JAN)).isTrue();
        assertThatThrownBy(() -> books.toLock(documents, JAN)).hasMessageContaining("already locked");
    }

    @Test
    void aPrepaidPeriodWhoseLastInvoiceComesAfterTheLockTakesItsBreakageIntoTheOpenMonth() {
        // monthly prepaid 500.00, January held until after January is locked: the whole invoice moves, breakage too
        List<Document> documents = new ArrayList<>();
        Books books = Books.EMPTY.lock(JAN, Books.EMPTY.toLock(documents, JAN));
        documents.add(invoice(10, "2026-01", period("2026-01", "2026-01"), "usage 320.00", "prepaid +500.00",
                "prepaid -320.00"));
        assertThat(figures(RollForward.of(FEB, "USD", books.entriesUpTo(documents, FEB)))).isEqualTo(
                "usage 320.00, breakage 180.00 = 500.00 | deferred 0.00 + 500.00 - 320.00 - 180.00 = 0.00"
                        + " | invoiced 500.00 ok");
    }

    @Test
    void usageDrawnBeforeItsPrepaidInvoiceIsRecognizedLeavesDeferredRevenueNegativeUntilThatInvoiceCatchesUp() {
        // quarterly prepaid 900.00: January's invoice (which adds it) is held while February's is finalized and
        // February is locked; January's then lands in March
        List<Document> documents = new ArrayList<>(List.of(invoice(13, "2026-02", period("2026-01", "2026-03"),
                "usage 200.00", "prepaid -200.00")));
        Books books = Books.EMPTY.lock(FEB, Books.EMPTY.toLock(documents, FEB));
        documents.add(invoice(13, "2026-01", period("2026-01", "2026-03"), "usage 100.00", "prepaid +900.00",
                "prepaid -100.00"));
        documents.add(invoice(13, "2026-03", period("2026-01", "2026-03"), "usage 50.00", "prepaid -50.00"));
        // February: 200 drawn from nothing yet invoiced: -200 deferred (a contract asset), billed 0
        assertThat(figures(RollForward.of(FEB, "USD", books.entriesUpTo(documents, FEB)))).isEqualTo(
                "usage 200.00 = 200.00 | deferred 0.00 + 0.00 - 200.00 - 0.00 = -200.00 | invoiced 0.00 ok");
        // March: January's 100 + March's 50 usage, breakage 900 - 100 - 200 - 50 = 550; -200 + 900 - 150 - 550 = 0
        assertThat(figures(RollForward.of(YearMonth.of(2026, 3), "USD", books.entriesUpTo(documents,
                YearMonth.of(2026, 3))))).isEqualTo("usage 150.00, breakage 550.00 = 700.00 | deferred -200.00 + 900.00"
                        + " - 150.00 - 550.00 = 0.00 | invoiced 900.00 ok");
    }

    @Test
    void anInvoiceOfAPeriodWhoseBreakageIsAlreadyLockedReversesBreakageForWhatItDraws() {
        // quarterly prepaid 900.00; February's invoice is held while March's is finalized and March locked
        YearMonth mar = YearMonth.of(2026, 3);
        List<Document> documents = new ArrayList<>(List.of(
                invoice(14, "2026-01", period("2026-01", "2026-03"), "usage 100.00", "prepaid +900.00", "prepaid -100.00"),
                invoice(14, "2026-03", period("2026-01", "2026-03"), "usage 50.00", "prepaid -50.00")));
        Books books = Books.EMPTY.lock(mar, Books.EMPTY.toLock(documents, mar));
        // March: 900 - 100 - 50 = 750 breakage as far as anyone knows; 800 - 50 - 750 = 0
        assertThat(figures(RollForward.of(mar, "USD", books.entriesUpTo(documents, mar)))).isEqualTo(
                "usage 50.00, breakage 750.00 = 800.00 | deferred 800.00 + 0.00 - 50.00 - 750.00 = 0.00"
                        + " | invoiced 0.00 ok");
        documents.add(invoice(14, "2026-02", period("2026-01", "2026-03"), "usage 200.00", "prepaid -200.00"));
        // April: February's 200 of usage was drawn from what March called breakage: breakage -200, nothing deferred
        YearMonth apr = YearMonth.of(2026, 4);
        assertThat(figures(RollForward.of(apr, "USD", books.entriesUpTo(documents, apr)))).isEqualTo(
                "usage 200.00, breakage -200.00 = 0.00 | deferred 0.00 + 0.00 - 200.00 - -200.00 = 0.00"
                        + " | invoiced 0.00 ok");
    }

    @Test
    void theJournalPostsEachAmountAsABalancedPairAndReceivablesEndAtWhatWasBilled() {
        // prepaid 300.00 for the month, 120.00 used, 100.00 of free credit: billed 300.00 - 100.00 = 200.00
        List<Document> documents = List.of(invoice(11, "2026-01", period("2026-01", "2026-01"), "usage 120.00",
                "prepaid +300.00", "prepaid -120.00", "credit -100.00"));
        List<Journal.Line> journal = Journal.of(Books.EMPTY.entriesUpTo(documents, JAN), AccountCodes.DEFAULTS,
                id -> "customer-" + id);
        assertThat(journal).extracting(line -> line.date() + " " + line.account() + " Dr " + line.debit() + " Cr "
                + line.credit()).containsExactly(
                "2026-01-31 1200 Dr 120.00 Cr 0.00", "2026-01-31 4000 Dr 0.00 Cr 120.00",   // usage
                "2026-01-31 2400 Dr 180.00 Cr 0.00", "2026-01-31 4050 Dr 0.00 Cr 180.00",   // breakage
                "2026-01-31 4900 Dr 100.00 Cr 0.00", "2026-01-31 1200 Dr 0.00 Cr 100.00",   // credit: contra-revenue
                "2026-01-31 1200 Dr 300.00 Cr 0.00", "2026-01-31 2400 Dr 0.00 Cr 300.00",   // prepaid invoiced
                "2026-01-31 2400 Dr 120.00 Cr 0.00", "2026-01-31 1200 Dr 0.00 Cr 120.00");  // drawn by usage
        assertThat(sum(journal, "1200")).isEqualByComparingTo("200.00");   // 120 - 100 + 300 - 120
        assertThat(sum(journal, "2400")).isEqualByComparingTo("0.00");     // -300 + 120 + 180
        assertThat(journal).allSatisfy(line -> assertThat(line.customer()).isEqualTo("customer-11"));
        assertThat(journal.get(0).source()).startsWith("VL-202601-");
    }

    @Test
    void aCreditNoteDebitsTheCreditNoteRevenueAccountAndCreditsReceivables() {
        List<Journal.Line> journal = Journal.of(Books.EMPTY.entriesUpTo(List.of(Docs.creditNote(12, "2026-01", "-25.00")),
                JAN), new AccountCodes("AR", "DEF", "U", "M", "O", "T", "L", "B", "CN", "PROMO", "TAX"), id -> "c");
        assertThat(journal).extracting(line -> line.account() + " " + line.debit() + "/" + line.credit())
                .containsExactly("CN 25.00/0.00", "AR 0.00/25.00");
        assertThat(journal.get(0).memo()).startsWith("Credit note");
    }

    /** Debits − credits of one account. */
    static BigDecimal sum(List<Journal.Line> journal, String account) {
        return journal.stream().filter(line -> line.account().equals(account))
                .map(line -> line.debit().subtract(line.credit())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
