package com.voiceledger.ingestion;

/** What became of a stored delivery. */
public enum WebhookEventStatus {
    /** Stored, not yet processed (or processing was interrupted). */
    RECEIVED,
    /** Normalised into the usage store. */
    PROCESSED,
    /** Same message already recorded; nothing changed. */
    DUPLICATE,
    /** A message type that carries no usage; kept and ignored. */
    IGNORED,
    /** Could not be normalised; kept for inspection, see the error. */
    FAILED
}
