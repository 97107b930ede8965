/**
 * Spend caps that act before the money is spent: month-to-date spend (rated usage plus reservations
 * for admitted calls), admission decisions (API and the platform's assistant-request), threshold
 * alerts delivered to the customer's webhook, and finance's suspension of a customer.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.spendcap;
