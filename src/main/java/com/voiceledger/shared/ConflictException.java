package com.voiceledger.shared;

/** A request that clashes with existing state (a duplicate external id, say): answered with 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
