package com.voiceledger.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserService;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Admission ("may this call start?" reserves spend) is for machines, API keys as the platform's dialer uses
 * today, and customer admins; a viewer's browser session may not reserve spend (issue 25, item 6).
 */
@IntegrationTest
class AdmissionCallerIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    UserService users;

    @Test
    void aViewersSessionIsRefusedWhileAnApiKeyAndAnAdminsSessionAreAdmitted() {
        Http http = new Http(port);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Customer customer = fixtures.customer("admission-" + suffix);
        users.create("adm-viewer-" + suffix, "Vi", "password-123", Role.CUSTOMER_VIEWER, customer.id());
        users.create("adm-admin-" + suffix, "Ad", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        String body = "{\"callId\": \"call-" + suffix + "\"}";

        Http.Response viewer = http.post("/api/v1/admission", "application/json", body)
                .header("Cookie", http.signIn("adm-viewer-" + suffix, "password-123"))
                .header("X-Requested-With", "XMLHttpRequest").send();
        assertThat(viewer.status()).as("a viewer's session: %s", viewer).isEqualTo(403);

        assertThat(http.post("/api/v1/admission", "application/json", body).bearer(fixtures.apiKey(customer)).send()
                .status()).as("positive control: an API key").isEqualTo(200);
        assertThat(http.post("/api/v1/admission", "application/json", "{\"callId\": \"call2-" + suffix + "\"}")
                .header("Cookie", http.signIn("adm-admin-" + suffix, "password-123"))
                .header("X-Requested-With", "XMLHttpRequest").send().status())
                .as("positive control: a customer admin's session").isEqualTo(200);
    }
}
