package com.voiceledger.shared;

/** Input the caller can fix: answered with 400 and this message. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
