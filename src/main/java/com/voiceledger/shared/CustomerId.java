package com.voiceledger.shared;

/** Internal id of a customer (the database key, never shown to other customers). */
public record CustomerId(long value) {

    public static CustomerId of(long value) {
        return new CustomerId(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
