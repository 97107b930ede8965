package com.voiceledger.shared;

/** Something that does not exist, or that the caller may not see: both answer 404 alike. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
