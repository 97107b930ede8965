package com.voiceledger.security;

/** A key just created: the only moment its secret exists outside the caller's hands. */
public record CreatedApiKey(ApiKey key, String secret) {
}
