/**
 * Revenue recognition (BILLING-RULES §6, ASC 606 / IFRS 15) on billing's read API: revenue by category,
 * the deferred revenue of prepaid commitments with its breakage, the roll-forward and its check against
 * the invoices, month locks with catch-up, and balanced journal entries. It reads invoices, never writes them.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.revenue;
