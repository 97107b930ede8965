package com.voiceledger.shared;

import org.jspecify.annotations.Nullable;

/** The one error shape of every JSON endpoint: {@code {"error": "...", "detail": ...}}. */
public record ApiError(String error, @Nullable Object detail) {

    public static ApiError of(String error) {
        return new ApiError(error, null);
    }
}
