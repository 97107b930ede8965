package com.voiceledger.usage;

/** What recording a message did: changed the store, or found it already there. */
public enum RecordOutcome {
    RECORDED,
    DUPLICATE
}
