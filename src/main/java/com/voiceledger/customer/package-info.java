/**
 * Customers of the platform (external id, currency, billing time zone) and the mappings that
 * attribute the platform's calls to them (assistantId, phoneNumberId, orgId).
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.customer;
