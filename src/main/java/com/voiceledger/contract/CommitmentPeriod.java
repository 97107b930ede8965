package com.voiceledger.contract;

/** Calendar periods of a commitment, in the customer's billing time zone. */
public enum CommitmentPeriod {
    MONTH, QUARTER, YEAR
}
