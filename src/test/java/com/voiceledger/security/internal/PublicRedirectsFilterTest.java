package com.voiceledger.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * With a public address configured, every redirect to this server goes there, whatever Host the request
 * claimed; redirects to other sites are left alone. (HostHeaderIT attacks the running server without one.)
 */
class PublicRedirectsFilterTest {

    private final PublicRedirectsFilter filter = new PublicRedirectsFilter("https://billing.example.com/");

    @Test
    void aRelativeRedirectUnderAForgedHostGoesToThePublicAddress() throws Exception {
        assertThat(redirect("evil.example", 80, "/login")).isEqualTo("https://billing.example.com/login");
    }

    @Test
    void anAbsoluteRedirectBuiltFromAForgedHostGoesToThePublicAddressKeepingPathAndQuery() throws Exception {
        assertThat(redirect("evil.example", 80, "http://evil.example/dashboard?continue"))
                .isEqualTo("https://billing.example.com/dashboard?continue");
        assertThat(redirect("evil.example", 8443, "https://EVIL.example:8443/login?error"))
                .isEqualTo("https://billing.example.com/login?error");
    }

    @Test
    void aPathRelativeToThePageIsResolvedAgainstTheRequestedPath() throws Exception {
        assertThat(redirect("evil.example", 80, "login?error")).isEqualTo("https://billing.example.com/login?error");
    }

    @Test
    void redirectsToOtherSitesAreLeftAlone() throws Exception {
        assertThat(redirect("evil.example", 80, "https://status.twilio.com/x")).isEqualTo("https://status.twilio.com/x");
        assertThat(redirect("localhost", 8080, "http://localhost:9090/other"))
                .as("another port is another site").isEqualTo("http://localhost:9090/other");
    }

    @Test
    void withoutAPublicAddressARedirectToTheClaimedHostKeepsOnlyItsPath() throws Exception {
        PublicRedirectsFilter none = new PublicRedirectsFilter("");
        MockHttpServletRequest request = request("evil.example", 80);
        assertThat(none.rewrite(request, "http://evil.example/dashboard?continue")).isEqualTo("/dashboard?continue");
        assertThat(none.rewrite(request, "/login")).isEqualTo("/login");
    }

    @Test
    void aLocationHeaderSetDirectlyIsRewrittenToo() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request("evil.example", 80), response, (req, res) -> {
            ((HttpServletResponse) res).setStatus(303);
            ((HttpServletResponse) res).setHeader("Location", "http://evil.example/calls");
        });
        assertThat(response.getHeader("Location")).isEqualTo("https://billing.example.com/calls");
    }

    private String redirect(String host, int port, String location) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request(host, port), response,
                (req, res) -> ((HttpServletResponse) res).sendRedirect(location));
        return response.getRedirectedUrl();
    }

    private static MockHttpServletRequest request(String host, int port) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/dashboard");
        request.setServerName(host);
        request.setServerPort(port);
        request.addHeader("Host", port == 80 ? host : host + ":" + port);
        return request;
    }
}
