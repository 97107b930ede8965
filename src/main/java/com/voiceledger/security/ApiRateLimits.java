package com.voiceledger.security;

import com.voiceledger.security.internal.KeyedBuckets;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Request budgets on the JSON API, per credential (an API key, a person, the admin token) and per
 * customer (all its keys and people together), and, separately and more generously, per webhook
 * source (address and endpoint), since the platform retries what it could not deliver. A budget
 * refills evenly over a minute; 0 switches a limit off. Decision 0034.
 */
@Component
public class ApiRateLimits {

    /** The limits in force, in requests per minute (0: no limit). */
    public record Settings(int perCredentialPerMinute, int perCustomerPerMinute, int webhooksPerMinute) {
    }

    private final Clock clock;
    private volatile Settings settings;
    private volatile @Nullable KeyedBuckets credentials;
    private volatile @Nullable KeyedBuckets customers;
    private volatile @Nullable KeyedBuckets webhooks;

    ApiRateLimits(Clock clock,
            @Value("${voiceledger.rate-limit.api.per-credential-per-minute:600}") int perCredential,
            @Value("${voiceledger.rate-limit.api.per-customer-per-minute:1200}") int perCustomer,
            @Value("${voiceledger.rate-limit.webhooks.per-minute:6000}") int webhooks) {
        this.clock = clock;
        configure(new Settings(perCredential, perCustomer, webhooks));
    }

    public Settings settings() {
        return settings;
    }

    /** Replaces the limits (and forgets what was counted): an operator under attack, or a test. */
    public synchronized void configure(Settings settings) {
        this.settings = settings;
        this.credentials = buckets(settings.perCredentialPerMinute());
        this.customers = buckets(settings.perCustomerPerMinute());
        this.webhooks = buckets(settings.webhooksPerMinute());
    }

    /**
     * Takes one request from the credential's and the customer's budgets; how long to wait when either
     * is spent (zero: go ahead).
     */
    public Duration admit(String credential, @Nullable String customer) {
        Duration wait = take(credentials, credential);
        if (!wait.isZero() || customer == null) {
            return wait;
        }
        return take(customers, customer);
    }

    /**
     * How long this webhook source must wait before it is heard again (zero: go ahead). Only refused
     * deliveries spend the budget ({@link #refusedWebhook}): the platform's own deliveries, however many,
     * are its traffic to take, not a flood (decision 0048); a source that keeps sending what is refused
     * (no or a wrong secret, malformed, oversize) is slowed down.
     */
    public Duration webhookWait(String source) {
        return webhooks == null ? Duration.ZERO : webhooks.waitFor(source);
    }

    /** A delivery from this source was refused: it spends one from the source's budget. */
    public void refusedWebhook(String source) {
        take(webhooks, source);
    }

    @Scheduled(fixedDelay = 300_000)
    void sweep() {
        for (KeyedBuckets buckets : new KeyedBuckets[] {credentials, customers, webhooks}) {
            if (buckets != null) {
                buckets.sweep();
            }
        }
    }

    private static Duration take(@Nullable KeyedBuckets buckets, String key) {
        return buckets == null ? Duration.ZERO : buckets.take(key);
    }

    private @Nullable KeyedBuckets buckets(int perMinute) {
        return perMinute <= 0 ? null : new KeyedBuckets(perMinute, Duration.ofMinutes(1), clock);
    }
}
