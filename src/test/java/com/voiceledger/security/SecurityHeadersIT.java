package com.voiceledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.support.Browserless;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The headers a browser needs to refuse framing, sniffing and loading from elsewhere, on every kind of answer. */
@IntegrationTest
class SecurityHeadersIT {

    @LocalServerPort
    int port;

    @Test
    void theSignInPageForbidsFramingAndSniffingAndLimitsWhereThingsLoadFrom() {
        Browserless.Answer page = new Browserless(port).get("/login");

        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("frame-ancestors 'none'", "object-src 'none'", "connect-src 'self'", "default-src 'self'"));
        assertThat(page.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.header("X-Frame-Options")).hasValue("DENY");
        assertThat(page.header("Referrer-Policy")).hasValue("same-origin");
    }

    @Test
    void apiAnswersAllowNoScriptAtAll() {
        Browserless.Answer answer = new Browserless(port).send("GET", "/api/admin/v1/customers",
                Map.of("Authorization", "Bearer " + TestFixtures.ADMIN_TOKEN), null, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .startsWith("default-src 'none'").contains("frame-ancestors 'none'").doesNotContain("script-src"));
        assertThat(answer.header("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void hstsIsSentOnlyWhenTheRequestCameOverHttpsThroughTheProxy() {
        Browserless browser = new Browserless(port);

        assertThat(browser.get("/login").header("Strict-Transport-Security")).isEmpty();
        assertThat(browser.send("GET", "/login", Map.of("X-Forwarded-Proto", "https"), null, null)
                .header("Strict-Transport-Security")).hasValueSatisfying(
                        value -> assertThat(value).contains("max-age="));
    }
}
