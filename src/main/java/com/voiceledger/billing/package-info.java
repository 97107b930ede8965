/**
 * Month-end: commitment and credit ledgers, the invoice of each customer-month built from the charges
 * (BILLING-RULES §3–5), finalised once and never changed, and the draft of the month in progress.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.billing;
