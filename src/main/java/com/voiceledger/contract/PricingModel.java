package com.voiceledger.contract;

/** How a contract prices calls (BILLING-RULES §3). */
public enum PricingModel {
    /** Cost-plus: rate card (or override) price × (1 + markup of the layer). */
    RATE_CARD,
    /** All-in: billable minutes × rate, with a minimum charge per connected call. */
    PER_MINUTE
}
