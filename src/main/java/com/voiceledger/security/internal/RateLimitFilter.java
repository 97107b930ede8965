package com.voiceledger.security.internal;

import com.voiceledger.security.ApiRateLimits;
import com.voiceledger.security.AppUserDetails;
import com.voiceledger.security.Principal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@link ApiRateLimits}: authenticated API requests count against their credential and
 * their customer, webhook deliveries against their source. Over budget: 429, {@code Retry-After} in
 * seconds and the API's JSON error, before any work is done.
 */
public class RateLimitFilter extends OncePerRequestFilter {

    /** Set by {@link BearerTokenFilter}: which bearer credential authenticated the request (a hash, never the token). */
    static final String CREDENTIAL = RateLimitFilter.class.getName() + ".credential";

    private final ApiRateLimits limits;
    private final JsonErrors errors;
    private final SecurityContextHolderStrategy strategy;

    public RateLimitFilter(ApiRateLimits limits, JsonErrors errors, SecurityContextHolderStrategy strategy) {
        this.limits = limits;
        this.errors = errors;
        this.strategy = strategy;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Duration wait = Duration.ZERO;
        String endpoint = Routes.webhookEndpoint(request);
        if (endpoint != null) {
            String source = endpoint + " from " + request.getRemoteAddr();
            wait = limits.webhookWait(source);
            if (wait.isZero()) {
                chain.doFilter(request, response);
                if (response.getStatus() >= 400 && response.getStatus() < 500) {
                    limits.refusedWebhook(source);
                }
                return;
            }
        } else if (Routes.API.matches(request)) {
            Authentication authentication = strategy.getContext().getAuthentication();
            Principal principal = principal(authentication);
            if (principal != null) {
                Object bearer = request.getAttribute(CREDENTIAL);
                String credential = bearer != null ? "bearer " + bearer : "person " + principal.name();
                wait = limits.admit(credential, principal.customer().map(id -> "customer " + id.value()).orElse(null));
            }
        }
        if (!wait.isZero()) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
            errors.write(response, 429, "too many requests: retry after the time in Retry-After");
            return;
        }
        chain.doFilter(request, response);
    }

    private static @Nullable Principal principal(@Nullable Authentication authentication) {
        if (authentication == null) {
            return null;
        }
        return switch (authentication.getPrincipal()) {
            case Principal principal -> principal;
            case AppUserDetails details -> details.principal();
            case null, default -> null;
        };
    }
}
