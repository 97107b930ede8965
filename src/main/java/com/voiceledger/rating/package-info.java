/**
 * Rating: a pure function of (call, rate card version, contract) giving each component's unit price,
 * charge and the source of its price; the store of charges, daily rollups, re-rating jobs and the
 * unpriced-usage queue around it.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.rating;
