/**
 * Stripe: every finalised invoice is queued for a push (in the closing transaction), pushed with
 * stripe-java with idempotency keys derived from our ids, and its payment status follows Stripe's
 * webhooks.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.stripe;
