package com.voiceledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.Browserless;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A page on another site makes a signed-in finance person's browser post to the JSON API (a form,
 * or a fetch without a preflight: no custom header, form or text content types). Such writes are
 * refused; the application's own JSON calls and bearer-token automation are not.
 */
@IntegrationTest
class ApiCsrfIT {

    @LocalServerPort
    int port;
    @Autowired
    UserService users;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    ApiKeyService apiKeys;

    String suffix;
    Customer customer;
    Browserless financeBrowser;

    @BeforeEach
    void setUp() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        customer = fixtures.customer("csrf-" + suffix);
        users.create("csrf-fin-" + suffix, "Fin", "password-123", Role.FINANCE_ADMIN, null);
        financeBrowser = new Browserless(port);
        assertThat(Browserless.signedIn(financeBrowser.signIn("csrf-fin-" + suffix, "password-123"))).isTrue();
    }

    private String keysPath() {
        return "/api/admin/v1/customers/" + customer.externalId() + "/api-keys";
    }

    @Test
    void aCrossSiteBodylessPostRidingTheSessionCreatesNoApiKey() {
        Browserless.Answer forged = financeBrowser.send("POST", keysPath(), Map.of(), null, null);

        assertThat(forged.status()).as("%s", forged).isEqualTo(403);
        assertThat(Http.parse(forged.body()).path("error").asString()).contains("X-Requested-With");
        assertThat(apiKeys.keysOf(customer.id())).isEmpty();
    }

    @Test
    void aCrossSiteFormOrTextPostRidingTheSessionIsRefused() {
        assertThat(financeBrowser.send("POST", "/api/admin/v1/rollups/rebuild", Map.of(),
                "application/x-www-form-urlencoded", "a=b").status()).isEqualTo(415);
        assertThat(financeBrowser.send("POST", keysPath(), Map.of(), "text/plain", "{}").status()).isEqualTo(415);
        assertThat(apiKeys.keysOf(customer.id())).isEmpty();
    }

    @Test
    void theSessionsOwnJsonCallsWithTheHeaderStillWork() {
        Browserless.Answer own = financeBrowser.send("POST", keysPath(), Map.of("X-Requested-With", "XMLHttpRequest"),
                "application/json", "{\"name\": \"ops\"}");

        assertThat(own.status()).as("%s", own).isEqualTo(201);
        assertThat(financeBrowser.get(keysPath()).status()).as("reads need no header").isEqualTo(200);
    }

    @Test
    void bearerAutomationNeedsNoHeaderButStillSendsJsonOrNothing() {
        Http http = new Http(port);
        assertThat(http.post(keysPath(), null, new byte[0]).bearer(TestFixtures.ADMIN_TOKEN).send().status())
                .isEqualTo(201);
        assertThat(http.post(keysPath(), "text/plain", "{}").bearer(TestFixtures.ADMIN_TOKEN).send().status())
                .isEqualTo(415);
    }
}
