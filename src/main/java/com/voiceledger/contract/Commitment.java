package com.voiceledger.contract;

import com.voiceledger.shared.BadRequestException;
import java.math.BigDecimal;

/** A committed spend per period; prepaid is invoiced at the period's start. */
public record Commitment(BigDecimal amount, CommitmentPeriod period, boolean prepaid) {

    public Commitment {
        if (amount == null || amount.signum() <= 0) {
            throw new BadRequestException("commitment.amount must be more than 0");
        }
        if (period == null) {
            throw new BadRequestException("commitment.period must be MONTH, QUARTER or YEAR");
        }
    }
}
