package com.voiceledger.stripe;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code STRIPE_API_KEY}, {@code STRIPE_WEBHOOK_SECRET}, and {@code STRIPE_API_BASE} (tests point it
 * at a local recording server; empty means Stripe's own).
 */
@ConfigurationProperties("stripe")
public record StripeProperties(@Nullable String apiKey, @Nullable String webhookSecret, @Nullable String apiBase) {

    public boolean pushEnabled() {
        return apiKey != null && !apiKey.isBlank();
    }
}
