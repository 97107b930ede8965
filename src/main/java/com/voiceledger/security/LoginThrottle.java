package com.voiceledger.security;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.security.internal.KeyedBuckets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counts failed sign-ins per login and per client address, and failed bearer tokens per address.
 * Past the limit (by default 5 failures of one login, or 20 from one address, in 15 minutes) further
 * attempts are refused before any password is hashed, the right password included, until the bucket
 * refills. Each lock is audited once when it starts. Decision 0034.
 */
@Component
public class LoginThrottle {

    private static final String ACTOR = "login-throttle";

    private final KeyedBuckets logins;
    private final KeyedBuckets loginAddresses;
    private final KeyedBuckets tokenAddresses;
    private final AuditLog audit;
    private final TransactionTemplate transaction;

    LoginThrottle(AuditLog audit, PlatformTransactionManager transactions, Clock clock,
            @Value("${voiceledger.security.login.max-failures:5}") int maxFailures,
            @Value("${voiceledger.security.login.max-failures-per-address:20}") int maxFailuresPerAddress,
            @Value("${voiceledger.security.token.max-failures-per-address:10}") int maxTokenFailuresPerAddress,
            @Value("${voiceledger.security.login.window:15m}") Duration window) {
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
        this.logins = new KeyedBuckets(maxFailures, window, clock);
        this.loginAddresses = new KeyedBuckets(maxFailuresPerAddress, window, clock);
        this.tokenAddresses = new KeyedBuckets(maxTokenFailuresPerAddress, window, clock);
    }

    /** How long sign-in stays refused for this login or address (zero: it may try). */
    public Duration loginRefusedFor(String username, String address) {
        Duration login = logins.waitFor(key(username));
        Duration from = loginAddresses.waitFor(address);
        return login.compareTo(from) >= 0 ? login : from;
    }

    public void loginFailed(String username, String address) {
        failed(logins, key(username), "login " + key(username), address);
        failed(loginAddresses, address, "sign-in from " + address, address);
    }

    public void loginSucceeded(String username) {
        logins.forget(key(username));
    }

    /** How long bearer tokens from this address stay refused (zero: it may try). */
    public Duration tokensRefusedFor(String address) {
        return tokenAddresses.waitFor(address);
    }

    public void tokenFailed(String address) {
        failed(tokenAddresses, address, "bearer tokens from " + address, address);
    }

    /** Forgets every count (tests; an operator after a false alarm). */
    public void forgetAll() {
        logins.forgetAll();
        loginAddresses.forgetAll();
        tokenAddresses.forgetAll();
    }

    @Scheduled(fixedDelay = 300_000)
    void sweep() {
        logins.sweep();
        loginAddresses.sweep();
        tokenAddresses.sweep();
    }

    /** Counts one failure; the one that uses up the last attempt starts a lock, audited once. */
    private void failed(KeyedBuckets buckets, String key, String subject, String address) {
        boolean counted = buckets.take(key).isZero();
        if (counted && buckets.exhausted(key)) {
            transaction.executeWithoutResult(status -> audit.record(ACTOR, "sign-in locked", subject,
                    "too many failed attempts (" + buckets.capacity() + " allowed); refused until they age out",
                    Map.of("address", address)));
        }
    }

    private static String key(String username) {
        return username.strip().toLowerCase(Locale.ROOT);
    }
}
