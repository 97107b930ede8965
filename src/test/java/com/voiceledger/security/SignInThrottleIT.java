package com.voiceledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.customer.Customer;
import com.voiceledger.support.Browserless;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Guessing passwords and tokens: a login or an address that keeps failing is refused for a while,
 * even with the right password, with the answer a wrong password gets; each lock is audited.
 */
@IntegrationTest
class SignInThrottleIT {

    @LocalServerPort
    int port;
    @Autowired
    UserService users;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    AuditLog audit;
    @Autowired
    LoginThrottle throttle;

    String suffix;
    Customer acme;

    @BeforeEach
    void setUp() {
        throttle.forgetAll();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        acme = fixtures.customer("throttle-" + suffix);
    }

    @AfterEach
    void forgetTheseFailures() {
        // every test signs in from localhost: leave no lock behind for the next test class
        throttle.forgetAll();
    }

    @Test
    void fiveWrongPasswordsLockTheLoginEvenAgainstTheRightPasswordAndTheLockIsAudited() {
        String login = "guessed-" + suffix;
        users.create(login, "Gus", "right-password", Role.CUSTOMER_ADMIN, acme.id());
        Browserless attacker = new Browserless(port);

        Browserless.Answer wrong = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            wrong = attacker.signIn(login, "guess-" + attempt);
            assertThat(Browserless.signedIn(wrong)).as("wrong password %s", attempt).isFalse();
        }
        Browserless.Answer right = new Browserless(port).signIn(login, "right-password");

        assertThat(Browserless.signedIn(right)).as("the right password while locked: %s", right).isFalse();
        assertThat(right.status()).isEqualTo(wrong.status());
        assertThat(right.location()).as("the same answer as a wrong password").isEqualTo(wrong.location());
        assertThat(audit.entries(login, 10)).extracting(entry -> entry.action()).contains("sign-in locked");
    }

    @Test
    void fiftyConcurrentWrongPasswordsForOneLoginAreCheckedOnlyAsOftenAsTheBudgetAllows() throws Exception {
        String login = "flooded-" + suffix;
        users.create(login, "Flo", "right-password", Role.CUSTOMER_ADMIN, acme.id());

        long refusedBefore = throttle.refusedUnchecked();
        List<Browserless.Answer> answers = concurrentSignIns(login, 50, attempt -> "guess-" + attempt);
        long refused = throttle.refusedUnchecked() - refusedBefore;

        assertThat(answers).as("no guess signs in").noneMatch(Browserless::signedIn);
        assertThat(refused).as("guesses refused before any password was hashed").isEqualTo(45);
        assertThat(answers.size() - refused).as("guesses whose password was checked: the budget, 5").isEqualTo(5);
        assertThat(Browserless.signedIn(new Browserless(port).signIn(login, "right-password")))
                .as("the right password afterwards, while locked").isFalse();
        assertThat(audit.entries("login " + login, 10)).extracting(entry -> entry.action())
                .as("the lock is audited once, however many failures found it").containsOnlyOnce("sign-in locked");
    }

    @Test
    void signingInWithTheRightPasswordUsesUpNoBudget() throws Exception {
        String login = "regular-" + suffix;
        users.create(login, "Reg", "right-password", Role.CUSTOMER_ADMIN, acme.id());

        // more sign-ins from one address than its budget of 20 attempts: each success gives its attempt back
        for (int time = 0; time < 25; time++) {
            assertThat(Browserless.signedIn(new Browserless(port).signIn(login, "right-password")))
                    .as("sign-in %s with the right password", time).isTrue();
        }
        long refusedBefore = throttle.refusedUnchecked();
        List<Browserless.Answer> answers = concurrentSignIns(login, 50, attempt -> "guess-" + attempt);

        assertThat(answers.size() - (throttle.refusedUnchecked() - refusedBefore))
                .as("after those sign-ins the login still has its whole budget of 5 checked guesses").isEqualTo(5);
    }

    /** Loads the form for every attempt first, then posts them all at once (released by one barrier). */
    private List<Browserless.Answer> concurrentSignIns(String login, int attempts, IntFunction<String> password)
            throws Exception {
        List<Supplier<Browserless.Answer>> posts = new ArrayList<>();
        for (int attempt = 0; attempt < attempts; attempt++) {
            posts.add(new Browserless(port).signInForm(login, password.apply(attempt), "/login"));
        }
        CyclicBarrier start = new CyclicBarrier(attempts);
        try (ExecutorService threads = Executors.newFixedThreadPool(attempts)) {
            List<Future<Browserless.Answer>> sent = new ArrayList<>();
            for (Supplier<Browserless.Answer> post : posts) {
                sent.add(threads.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return post.get();
                }));
            }
            List<Browserless.Answer> answers = new ArrayList<>();
            for (Future<Browserless.Answer> answer : sent) {
                answers.add(answer.get(120, TimeUnit.SECONDS));
            }
            return answers;
        }
    }

    @Test
    void anUnknownLoginGetsTheAnswerAWrongPasswordGets() {
        String login = "known-" + suffix;
        users.create(login, "Kim", "right-password", Role.CUSTOMER_ADMIN, acme.id());

        Browserless.Answer unknown = new Browserless(port).signIn("nobody-" + suffix, "whatever-1");
        Browserless.Answer wrong = new Browserless(port).signIn(login, "whatever-1");

        assertThat(unknown.status()).isEqualTo(wrong.status());
        assertThat(unknown.location()).isEqualTo(wrong.location());
        assertThat(Browserless.signedIn(new Browserless(port).signIn(login, "right-password")))
                .as("one failure is no lock").isTrue();
    }

    @Test
    void anAddressTryingManyLoginsIsRefusedForEveryLogin() {
        String login = "neighbour-" + suffix;
        users.create(login, "Ned", "right-password", Role.CUSTOMER_ADMIN, acme.id());
        Browserless attacker = new Browserless(port);
        for (int attempt = 0; attempt < 20; attempt++) {
            attacker.signIn("spray-" + attempt + "-" + suffix, "password-123");
        }

        assertThat(Browserless.signedIn(new Browserless(port).signIn(login, "right-password")))
                .as("sign-in from the spraying address").isFalse();
    }

    @Test
    void fiftyConcurrentBearerGuessesFromOneAddressGetOnlyTheBudgetsTenAnswersOfInvalid() throws Exception {
        int locksBefore = audit.entries("bearer tokens from", 100).size();
        List<Integer> statuses = concurrentBearers(50, attempt -> "vl_guess_" + suffix + attempt);

        assertThat(statuses).as("guesses answered as invalid: the budget, 10")
                .filteredOn(status -> status == 401).hasSize(10);
        assertThat(statuses).as("the rest refused as too many").filteredOn(status -> status == 429).hasSize(40);
        assertThat(audit.entries("bearer tokens from", 100)).as("the lock is audited once")
                .hasSize(locksBefore + 1);
    }

    @Test
    void guessesThatAllPassedTheCheckBeforeAnyFailedAreAnsweredInvalidOnlyAsOftenAsTheBudgetAllows() {
        // the interleaving a burst can produce when look-ups are slow: all 50 checked, then all 50 found invalid
        String address = "203.0.113.77";
        for (int guess = 0; guess < 50; guess++) {
            assertThat(throttle.tokensRefusedFor(address)).as("check %s, before any failure", guess).isZero();
        }
        List<Duration> failures = new ArrayList<>();
        for (int guess = 0; guess < 50; guess++) {
            failures.add(throttle.tokenFailed(address));
        }

        assertThat(failures).as("answered as invalid (401)").filteredOn(Duration::isZero).hasSize(10);
        assertThat(failures).as("refused as too many (429)").filteredOn(wait -> !wait.isZero()).hasSize(40);
        assertThat(throttle.tokensRefusedFor(address)).as("the address is now locked").isPositive();
    }

    @Test
    void callingTheApiWithAValidTokenUsesUpNoBudget() throws Exception {
        String key = fixtures.apiKey(acme);

        List<Integer> valid = concurrentBearers(30, attempt -> key);
        List<Integer> guesses = concurrentBearers(50, attempt -> "vl_guess_" + suffix + attempt);

        assertThat(valid).as("30 calls with a valid token, more than the budget of 10: %s", valid).containsOnly(200);
        assertThat(guesses).as("afterwards the address still has its whole budget of 10 invalid answers")
                .filteredOn(status -> status == 401).hasSize(10);
    }

    /** Sends the requests all at once (released by one barrier); their statuses. */
    private List<Integer> concurrentBearers(int requests, IntFunction<String> token) throws Exception {
        CyclicBarrier start = new CyclicBarrier(requests);
        try (ExecutorService threads = Executors.newFixedThreadPool(requests)) {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int request = 0; request < requests; request++) {
                String bearer = token.apply(request);
                sent.add(threads.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return new Http(port).get("/api/v1/calls").bearer(bearer).send().status();
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : sent) {
                statuses.add(status.get(120, TimeUnit.SECONDS));
            }
            return statuses;
        }
    }

    @Test
    void anAddressGuessingBearerTokensIsRefusedWith429AndRetryAfter() {
        Http http = new Http(port);
        for (int attempt = 0; attempt < 10; attempt++) {
            assertThat(http.get("/api/v1/calls").bearer("vl_guess" + attempt).send().status()).isEqualTo(401);
        }

        var refused = new Browserless(port).send("GET", "/api/admin/v1/customers",
                java.util.Map.of("Authorization", "Bearer " + TestFixtures.ADMIN_TOKEN), null, null);

        assertThat(refused.status()).as("even the right token, from the guessing address").isEqualTo(429);
        assertThat(refused.header("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(Http.parse(refused.body()).path("error").asString()).contains("too many");
        assertThat(audit.entries("bearer tokens from", 10)).isNotEmpty();
    }
}
