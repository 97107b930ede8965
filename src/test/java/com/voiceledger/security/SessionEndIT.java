package com.voiceledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.Browserless;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * A removed or demoted person, or one whose password was changed elsewhere, keeps nothing of the
 * session they had: the next request of that session is anonymous.
 */
@IntegrationTest
class SessionEndIT {

    private static final Map<String, String> JSON_WRITE = Map.of("X-Requested-With", "XMLHttpRequest");

    @LocalServerPort
    int port;
    @Autowired
    UserService users;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    SessionEpochs epochs;

    String suffix;
    Customer acme;
    String admin;

    @BeforeEach
    void setUp() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        acme = fixtures.customer("sessions-" + suffix);
        admin = "lead-" + suffix;
        users.create(admin, "Lee Lead", "password-123", Role.CUSTOMER_ADMIN, acme.id());
    }

    private Browserless signedIn(String username, String password) {
        Browserless browser = new Browserless(port);
        assertThat(Browserless.signedIn(browser.signIn(username, password))).as("%s signs in", username).isTrue();
        return browser;
    }

    @Test
    void aRemovedMembersOpenSessionStopsWorkingOnTheApiAtOnce() {
        String viewer = "leaver-" + suffix;
        users.addTeamMember(acme.id(), viewer, "Lea Leaver", "password-123", Role.CUSTOMER_VIEWER, admin);
        Browserless session = signedIn(viewer, "password-123");
        assertThat(session.get("/api/v1/calls").status()).isEqualTo(200);

        users.removeTeamMember(acme.id(), viewer, admin);

        assertThat(session.get("/api/v1/calls").status()).as("the removed member's session").isEqualTo(401);
    }

    @Test
    void aRemovedMembersUiSessionIsSentToTheSignInPage() {
        String viewer = "ui-leaver-" + suffix;
        users.addTeamMember(acme.id(), viewer, "Uma", "password-123", Role.CUSTOMER_VIEWER, admin);
        Browserless session = signedIn(viewer, "password-123");
        assertThat(session.get("/dashboard").status()).isEqualTo(200);

        users.removeTeamMember(acme.id(), viewer, admin);

        Browserless.Answer after = session.get("/dashboard");
        assertThat(after.status()).isEqualTo(302);
        assertThat(after.location()).hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
    }

    @Test
    void aDemotedAdminLosesAdminRightsInTheSessionItAlreadyHas() {
        String second = "second-" + suffix;
        users.addTeamMember(acme.id(), second, "Sam", "password-123", Role.CUSTOMER_ADMIN, admin);
        Browserless session = signedIn(second, "password-123");
        String email = "{\"email\": \"ops-" + suffix + "@example.com\"}";
        assertThat(session.send("PUT", "/api/v1/alerts/email", JSON_WRITE, "application/json", email).status())
                .isEqualTo(200);

        users.changeRole(acme.id(), second, Role.CUSTOMER_VIEWER, admin);

        assertThat(session.send("PUT", "/api/v1/alerts/email", JSON_WRITE, "application/json", email).status())
                .as("an admin-only write from the demoted person's session").isEqualTo(401);
    }

    @Test
    void aPasswordChangeEndsEveryOtherSessionOfThatPerson() {
        Browserless laptop = signedIn(admin, "password-123");
        Browserless phone = signedIn(admin, "password-123");

        users.changePassword(admin, "password-123", "new-password-456");

        assertThat(laptop.get("/api/v1/calls").status()).isEqualTo(401);
        assertThat(phone.get("/api/v1/calls").status()).isEqualTo(401);
        assertThat(signedIn(admin, "new-password-456").get("/api/v1/calls").status()).isEqualTo(200);
    }

    @Test
    void theSessionThatChangedThePasswordGoesOn() {
        var person = (AppUserDetails) users.loadUserByUsername(admin);
        MockHttpServletRequest request = new MockHttpServletRequest();
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        try {
            var session = request.getSession(true);
            SessionEpochs.keepCurrentSession(users.changePassword(admin, "password-123", "new-password-456"));

            assertThat(epochs.valid(person, session)).as("the session that changed it").isTrue();
            assertThat(epochs.valid(person, new MockHttpServletRequest().getSession(true))).as("any other").isFalse();
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
    }
}
