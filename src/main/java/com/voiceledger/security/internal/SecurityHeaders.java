package com.voiceledger.security.internal;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Response headers of both chains. Spring Security already sends {@code X-Content-Type-Options:
 * nosniff}, {@code X-Frame-Options: DENY}, no-store caching on authenticated answers and HSTS on
 * https requests (behind a proxy: once forwarded headers are trusted, see README). Added here: a
 * Content-Security-Policy with {@code frame-ancestors 'none'} and a referrer policy.
 *
 * <p>Vaadin Flow needs {@code 'unsafe-inline'} and {@code 'unsafe-eval'} for scripts (its bootstrap
 * is inline and {@code executeJs} evaluates code), so the UI policy mostly limits where things load
 * from and connect to; JSON, CSV and the printable invoice get a policy that allows no script at all.
 */
public final class SecurityHeaders {

    /** The policy the Vaadin UI (and Swagger UI) works under, checked in a real browser by SecurityHeadersBrowserIT. */
    public static final String UI_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            + "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";
    /** API answers: data, never a page that runs script (the print-ready invoice has inline styles only). */
    public static final String API_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    public static void ui(HttpSecurity http) throws Exception {
        http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(UI_POLICY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
    }

    /** The API chain: the strict policy, except Swagger UI's pages (served on this chain) get the UI one. */
    public static void api(HttpSecurity http, RequestMatcher swaggerUi) throws Exception {
        http.headers(headers -> headers
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(swaggerUi,
                        new StaticHeadersWriter("Content-Security-Policy", UI_POLICY)))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(swaggerUi),
                        new StaticHeadersWriter("Content-Security-Policy", API_POLICY)))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
    }
}
