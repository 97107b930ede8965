package com.voiceledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.security.internal.SecurityHeaders;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.support.Browserless;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An attacker spells a guarded address another way: a letter percent-encoded ({@code /log%69n},
 * {@code /%61pi/…}), a {@code ;} parameter, a double or a trailing slash. Spring Security and Spring MVC match
 * the decoded path, so each spelling must get the plain path's answer from every guard (the sign-in throttle,
 * the API's CSRF guard, the rate limits, the API's headers) or be refused by the firewall (400) — never pass
 * a guard and still reach the route (issue 25, items 2 and 3).
 */
@IntegrationTest
class EncodedPathIT {

    private static final int FIREWALL = 400;

    @LocalServerPort
    int port;
    @Autowired
    UserService users;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    ApiKeyService apiKeys;
    @Autowired
    LoginThrottle throttle;
    @Autowired
    ApiRateLimits limits;
    @Autowired
    SpendCaps spendCaps;

    String suffix;
    Customer customer;
    ApiRateLimits.Settings suiteLimits;

    /** The spellings, by name; each turns a plain path into the attacker's. */
    enum Spelling {
        FIRST_LETTER_ENCODED(path -> encodeFirstLetter(path, 1)),
        LAST_SEGMENT_LETTER_ENCODED(path -> encodeFirstLetter(path, path.lastIndexOf('/') + 1)),
        SEMICOLON_PARAMETER(path -> path.replaceFirst("^(/[^/]+)", "$1;jsessionid=x")),
        SEMICOLON_AT_THE_END(path -> path + ";x=1"),
        LEADING_DOUBLE_SLASH(path -> "/" + path),
        INNER_DOUBLE_SLASH(path -> path.replaceFirst("^(/[^/]+)/", "$1//")),
        TRAILING_SLASH(path -> path + "/");

        private final UnaryOperator<String> spell;

        Spelling(UnaryOperator<String> spell) {
            this.spell = spell;
        }

        String of(String path) {
            return spell.apply(path);
        }

        private static String encodeFirstLetter(String path, int from) {
            for (int i = from; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c >= 'a' && c <= 'z') {
                    return path.substring(0, i) + "%" + Integer.toHexString(c).toUpperCase(Locale.ROOT)
                            + path.substring(i + 1);
                }
            }
            throw new IllegalArgumentException("no letter to encode in " + path);
        }
    }

    static Stream<Spelling> spellings() {
        return Stream.of(Spelling.values());
    }

    @BeforeEach
    void setUp() {
        throttle.forgetAll();
        suiteLimits = limits.settings();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        customer = fixtures.customer("encoded-" + suffix);
    }

    @AfterEach
    void forgetTheCounts() {
        throttle.forgetAll();
        limits.configure(suiteLimits);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void aLockedLoginStaysLockedWhateverTheSignInAddressIsSpelled(Spelling spelling) {
        String login = "locked-" + suffix;
        users.create(login, "Lou", "right-password", Role.CUSTOMER_ADMIN, customer.id());
        for (int attempt = 0; attempt < 5; attempt++) {
            new Browserless(port).signIn(login, "guess-" + attempt);
        }
        Browserless.Answer plain = new Browserless(port).signIn(login, "right-password");
        assertThat(Browserless.signedIn(plain)).as("the plain form while locked: %s", plain).isFalse();

        String path = spelling.of("/login");
        Browserless.Answer spelled = new Browserless(port).signIn(login, "right-password", path);

        assertThat(Browserless.signedIn(spelled)).as("POST %s while locked: %s", path, spelled).isFalse();
        throttle.forgetAll();
        assertThat(Browserless.signedIn(new Browserless(port).signIn(login, "right-password")))
                .as("positive control: unlocked, the right password signs in").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void aSessionWriteWithoutTheCsrfHeaderIsRefusedWhateverTheApiAddressIsSpelled(Spelling spelling) {
        users.create("enc-fin-" + suffix, "Fin", "password-123", Role.FINANCE_ADMIN, null);
        Browserless finance = new Browserless(port);
        assertThat(Browserless.signedIn(finance.signIn("enc-fin-" + suffix, "password-123"))).isTrue();
        String keys = "/api/admin/v1/customers/" + customer.externalId() + "/api-keys";
        String lock = "/api/admin/v1/revenue/periods/1990-01/lock";

        for (String plainPath : new String[] {keys, lock}) {
            Browserless.Answer plain = finance.send("POST", plainPath, Map.of(), null, null);
            assertThat(plain.status()).as("POST %s: %s", plainPath, plain).isEqualTo(403);
            String path = spelling.of(plainPath);
            Browserless.Answer spelled = finance.send("POST", path, Map.of(), null, null);
            assertThat(spelled.status()).as("POST %s: %s", path, spelled).isIn(plain.status(), FIREWALL);
        }
        assertThat(apiKeys.keysOf(customer.id())).as("no key was made by a forged write").isEmpty();

        Browserless.Answer own = finance.send("POST", keys, Map.of("X-Requested-With", "XMLHttpRequest"),
                "application/json", "{\"name\": \"ops\"}");
        assertThat(own.status()).as("positive control, the app's own write: %s", own).isEqualTo(201);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void aCustomerAdminsForgedCapChangeIsRefusedWhateverTheApiAddressIsSpelled(Spelling spelling) {
        String admin = "enc-adm-" + suffix;
        users.create(admin, "Ada", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        Browserless browser = new Browserless(port);
        assertThat(Browserless.signedIn(browser.signIn(admin, "password-123"))).isTrue();
        var before = spendCaps.status(customer).customerCap();

        String path = spelling.of("/api/v1/spend/cap");
        Browserless.Answer spelled = browser.send("PUT", path, Map.of(), "application/json", "{\"amount\": 1}");

        assertThat(spelled.status()).as("PUT %s: %s", path, spelled).isIn(403, FIREWALL);
        assertThat(spendCaps.status(customer).customerCap()).isEqualTo(before);
        assertThat(browser.send("PUT", "/api/v1/spend/cap", Map.of("X-Requested-With", "XMLHttpRequest"),
                "application/json", "{\"amount\": 1}").status()).as("positive control").isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void anApiKeyPastItsBudgetIsRefusedWhateverTheAddressIsSpelled(Spelling spelling) {
        limits.configure(new ApiRateLimits.Settings(5, 100, 100));
        Http http = new Http(port);
        String key = fixtures.apiKey(customer);
        for (int request = 0; request < 5; request++) {
            assertThat(http.get("/api/v1/calls").bearer(key).send().status()).isEqualTo(200);
        }
        assertThat(http.get("/api/v1/calls").bearer(key).send().status()).as("the plain path").isEqualTo(429);

        String path = spelling.of("/api/v1/calls");
        Http.Response spelled = http.get(path).bearer(key).send();

        assertThat(spelled.status()).as("GET %s: %s", path, spelled).isIn(429, FIREWALL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void aWebhookSourcePastItsBudgetIsRefusedWhateverTheAddressIsSpelled(Spelling spelling) {
        limits.configure(new ApiRateLimits.Settings(0, 0, 4));
        Http http = new Http(port);
        for (int delivery = 0; delivery < 4; delivery++) {
            assertThat(http.post("/webhooks/vapi", "application/json", "{}").send().status()).isEqualTo(401);
        }
        assertThat(http.post("/webhooks/vapi", "application/json", "{}").send().status()).isEqualTo(429);

        String path = spelling.of("/webhooks/vapi");
        Http.Response spelled = http.post(path, "application/json", "{}").send();

        assertThat(spelled.status()).as("POST %s: %s", path, spelled).isIn(429, FIREWALL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void anApiAnswerCarriesTheApisPolicyWhateverTheAddressIsSpelled(Spelling spelling) {
        String path = spelling.of("/api/v1/calls");
        Browserless.Answer spelled = new Browserless(port).get(path);

        assertThat(spelled.status()).as("GET %s: %s", path, spelled).isIn(401, FIREWALL);
        if (spelled.status() == 401) {
            assertThat(spelled.header("Content-Security-Policy")).as("GET %s", path).contains(SecurityHeaders.API_POLICY);
        }
    }
}
