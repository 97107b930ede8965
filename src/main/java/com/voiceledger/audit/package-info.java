/** The append-only audit log: who changed prices or contracts, when, what and why. */
@org.jspecify.annotations.NullMarked
package com.voiceledger.audit;
