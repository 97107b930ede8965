package com.voiceledger.billing;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

/**
 * A computed invoice before it is stored: its lines, totals (always the sums of the lines), and the
 * ledger movements finalising it will write.
 */
public record InvoiceDraft(YearMonth month, String currency, List<InvoiceLine> lines, BigDecimal subtotal,
        BigDecimal credits, BigDecimal total, List<CreditUse> creditUses, List<CommitmentMove> commitmentMoves) {

    public InvoiceDraft {
        lines = List.copyOf(lines);
        creditUses = List.copyOf(creditUses);
        commitmentMoves = List.copyOf(commitmentMoves);
    }

    /** What one grant gives this invoice. */
    public record CreditUse(long grantId, BigDecimal amount) {
    }

    /** A commitment ledger entry to write: kind USAGE, TRUE_UP, PREPAID or PREPAID_DRAWN. */
    public record CommitmentMove(String kind, java.time.LocalDate periodStart, BigDecimal amount) {
    }
}
