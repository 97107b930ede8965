/**
 * The central rate card: versions effective from an instant, immutable once published, each a table
 * of unit prices by (layer, provider, model, unit) with wildcards; the most specific match wins.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.ratecard;
