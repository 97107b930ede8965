/**
 * Customer contracts: the pricing model (cost-plus on the rate card, or all-in per minute) and the
 * optional terms (included minutes, commitment, overage, spend cap). Effective-dated and immutable:
 * a change is a new contract from a later instant.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.contract;
