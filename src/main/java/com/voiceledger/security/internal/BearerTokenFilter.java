package com.voiceledger.security.internal;

import com.voiceledger.security.ApiKeyService;
import com.voiceledger.security.LoginThrottle;
import com.voiceledger.security.Principal;
import com.voiceledger.security.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer} on the API: the finance admin API token (when
 * configured) or a customer API key. A bearer that matches neither is answered 401 at once; a request
 * without one falls through to the session (a logged-in person using the API from the browser).
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    private final ApiKeyService apiKeys;
    private final @Nullable String adminToken;
    private final JsonErrors errors;
    private final SecurityContextHolderStrategy strategy;
    private final LoginThrottle throttle;

    public BearerTokenFilter(ApiKeyService apiKeys, @Nullable String adminToken, JsonErrors errors,
            SecurityContextHolderStrategy strategy, LoginThrottle throttle) {
        this.apiKeys = apiKeys;
        this.throttle = throttle;
        this.strategy = strategy;
        this.adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // Webhooks carry their own credentials (a Vapi bearer secret is not one of ours).
        return Routes.WEBHOOKS.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        String address = request.getRemoteAddr();
        Duration refused = throttle.tokensRefusedFor(address);
        if (!refused.isZero()) {
            // an address that keeps guessing is refused before any token is looked up
            tooManyGuesses(response, refused);
            return;
        }
        String token = header.substring(7).strip();
        Optional<Principal> principal = authenticate(token);
        if (principal.isEmpty()) {
            Duration over = throttle.tokenFailed(address);
            if (!over.isZero()) {
                // one of a burst of guesses that all passed the check above: no more are answered as invalid
                // than the budget allows
                tooManyGuesses(response, over);
                return;
            }
            errors.write(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid or revoked API token");
            return;
        }
        request.setAttribute(RateLimitFilter.CREDENTIAL, fingerprint(token));
        var authentication = new UsernamePasswordAuthenticationToken(principal.get(), null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.get().role().name())));
        var context = strategy.createEmptyContext();
        context.setAuthentication(authentication);
        strategy.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            strategy.clearContext();
        }
    }

    private void tooManyGuesses(HttpServletResponse response, Duration refused) throws IOException {
        response.setHeader("Retry-After", Long.toString(Math.max(1, refused.toSeconds() + 1)));
        errors.write(response, 429, "too many invalid API tokens from this address: retry later");
    }

    private Optional<Principal> authenticate(String token) {
        if (adminToken != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                adminToken.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Principal("admin-api-token", "Admin API token", Role.FINANCE_ADMIN, null));
        }
        return apiKeys.authenticate(token)
                .map(customer -> new Principal("api-key", "API key", Role.CUSTOMER_VIEWER, customer));
    }

    /** Names a credential for its rate limit without keeping the secret itself. */
    private static String fingerprint(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
