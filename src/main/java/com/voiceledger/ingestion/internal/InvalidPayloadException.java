package com.voiceledger.ingestion.internal;

/** A delivery that is authentic but cannot be understood; the message says what is wrong. */
public class InvalidPayloadException extends RuntimeException {

    public InvalidPayloadException(String message) {
        super(message);
    }
}
