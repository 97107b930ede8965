package com.voiceledger.security;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.security.internal.KeyedBuckets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counts sign-in attempts per login and per client address, and failed bearer tokens per address.
 * A sign-in (or a signed-in person's check of their current password) takes its attempt before the
 * password is hashed and gets it back only when it succeeds; past the limit (by default 5 per login, or
 * 20 from one address, in 15 minutes) further attempts are refused unchecked, the right password
 * included, until the bucket refills. Each lock is audited once when it starts. Decision 0034.
 */
@Component
public class LoginThrottle {

    private static final String ACTOR = "login-throttle";

    private final KeyedBuckets logins;
    private final KeyedBuckets loginAddresses;
    private final KeyedBuckets tokenAddresses;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    /** Subjects whose current lock is already audited; an admitted attempt (a token came back) clears one. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();

    LoginThrottle(AuditLog audit, PlatformTransactionManager transactions, Clock clock,
            @Value("${voiceledger.security.login.max-failures:5}") int maxFailures,
            @Value("${voiceledger.security.login.max-failures-per-address:20}") int maxFailuresPerAddress,
            @Value("${voiceledger.security.token.max-failures-per-address:10}") int maxTokenFailuresPerAddress,
            @Value("${voiceledger.security.login.window:15m}") Duration window) {
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
        // its own transaction: a lock found by a failed password change is audited although the change,
        // refused, rolls back
        this.transaction.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.logins = new KeyedBuckets(maxFailures, window, clock);
        this.loginAddresses = new KeyedBuckets(maxFailuresPerAddress, window, clock);
        this.tokenAddresses = new KeyedBuckets(maxTokenFailuresPerAddress, window, clock);
    }

    /**
     * Takes one attempt from this login's budget and one from the address's, before the password is
     * hashed: the count and the check are one atomic step, so many concurrent guesses cannot all pass
     * a check made before any of them failed (issue #25). Zero: admitted, the password may be checked
     * (a successful sign-in gives the attempt back, {@link #signInSucceeded}); otherwise how long sign-in
     * stays refused, and nothing was taken.
     */
    public Duration admitSignIn(String username, String address) {
        String login = key(username);
        Duration wait = logins.take(login);
        if (!wait.isZero()) {
            refused.incrementAndGet();
            return wait;
        }
        Duration from = loginAddresses.take(address);
        if (!from.isZero()) {
            logins.refund(login);
            refused.incrementAndGet();
            return from;
        }
        announced.remove("login " + login);
        announced.remove("sign-in from " + address);
        return Duration.ZERO;
    }

    /**
     * An admitted sign-in's password was wrong: its attempt stays taken; the failure that finds a budget
     * used up audits the lock, once per lock.
     */
    public void loginFailed(String username, String address) {
        auditIfLocked(logins, key(username), "login " + key(username), address);
        auditIfLocked(loginAddresses, address, "sign-in from " + address, address);
    }

    /**
     * An admitted sign-in succeeded: the login's failures are forgotten (as before: the person proved the
     * password) and the address gets its attempt back, so signing in uses up no budget.
     */
    public void signInSucceeded(String username, String address) {
        logins.forget(key(username));
        loginAddresses.refund(address);
    }

    /**
     * Someone signed in proves their current password again (changing it): takes one attempt from the
     * same per-login budget sign-in uses, before the hash is checked, as {@link #admitSignIn} does.
     * Zero: admitted; otherwise how long such checks, and sign-in, stay refused.
     */
    public Duration admitPasswordCheck(String username) {
        Duration wait = logins.take(key(username));
        if (!wait.isZero()) {
            refused.incrementAndGet();
            return wait;
        }
        announced.remove("login " + key(username));
        return Duration.ZERO;
    }

    /** An admitted password check failed: its attempt stays taken; a used-up budget is audited once. */
    public void passwordCheckFailed(String username) {
        auditIfLocked(logins, key(username), "login " + key(username), "signed-in session");
    }

    /** An admitted password check succeeded: like a sign-in, the login's failures are forgotten. */
    public void passwordCheckSucceeded(String username) {
        logins.forget(key(username));
    }

    /** How many sign-ins and password checks were refused unchecked since this instance started (tests, operators). */
    public long refusedUnchecked() {
        return refused.get();
    }

    /** How long bearer tokens from this address stay refused (zero: it may try). */
    public Duration tokensRefusedFor(String address) {
        return tokenAddresses.waitFor(address);
    }

    /**
     * A token from this address was invalid: takes one attempt from its budget. Zero: counted, answer it as
     * invalid; otherwise the budget was used up by concurrent guesses that passed {@link #tokensRefusedFor}
     * together, and this one is refused like those that come after (how long for). Unlike passwords, a token
     * is counted after its look-up, not before: valid tokens come many at a time from one address (a
     * customer's script), and taking an attempt for each would refuse them. Decision 0083.
     */
    public Duration tokenFailed(String address) {
        Duration wait = tokenAddresses.take(address);
        if (wait.isZero()) {
            auditIfLocked(tokenAddresses, address, "bearer tokens from " + address, address);
        }
        return wait;
    }

    /** Forgets every count (tests; an operator after a false alarm). */
    public void forgetAll() {
        logins.forgetAll();
        loginAddresses.forgetAll();
        tokenAddresses.forgetAll();
        announced.clear();
    }

    @Scheduled(fixedDelay = 300_000)
    void sweep() {
        logins.sweep();
        loginAddresses.sweep();
        tokenAddresses.sweep();
        // only failures already admitted in the same lock read these marks, and admission clears them: dropping
        // them all keeps the set from growing with every login ever locked (at worst a lock whose failures
        // straddle a sweep is audited twice)
        announced.clear();
    }

    /**
     * The attempt was already taken on admission; a failure finding the budget used up starts a lock,
     * audited by the first such failure only (concurrent failures of one lock all find it used up).
     */
    private void auditIfLocked(KeyedBuckets buckets, String key, String subject, String address) {
        if (buckets.exhausted(key) && announced.add(subject)) {
            auditLock(buckets, subject, address);
        }
    }

    private void auditLock(KeyedBuckets buckets, String subject, String address) {
        transaction.executeWithoutResult(status -> audit.record(ACTOR, "sign-in locked", subject,
                "too many failed attempts (" + buckets.capacity() + " allowed); refused until they age out",
                Map.of("address", address)));
    }

    private static String key(String username) {
        return username.strip().toLowerCase(Locale.ROOT);
    }
}
