package com.voiceledger.security.internal;

import com.voiceledger.security.AppUserDetails;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cross-site request forgery on the JSON API. A browser sends the session cookie with a cross-site
 * form post (and SameSite=Lax is not enough for same-site subdomains), but no other site can add a
 * custom header without a CORS preflight this server never grants. So:
 * <ul>
 * <li>every write to {@code /api/**} that carries a body, or names a content type, must be JSON
 * (forms and text/plain, the only types a cross-site page may send without a preflight, are 415);</li>
 * <li>a write authenticated by the browser session must also carry {@value #HEADER} (403 without).</li>
 * </ul>
 * Bearer-token writes need no header: no browser attaches a bearer token by itself. Decision 0034.
 */
public class ApiWriteGuard extends OncePerRequestFilter {

    public static final String HEADER = "X-Requested-With";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final JsonErrors errors;
    private final SecurityContextHolderStrategy strategy;

    public ApiWriteGuard(JsonErrors errors, SecurityContextHolderStrategy strategy) {
        this.errors = errors;
        this.strategy = strategy;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SAFE.contains(request.getMethod()) || !Routes.API.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!jsonOrNoBody(request)) {
            errors.write(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "a write to the API sends JSON (Content-Type: application/json) or no body at all");
            return;
        }
        Authentication authentication = strategy.getContext().getAuthentication();
        boolean bySession = authentication != null && authentication.getPrincipal() instanceof AppUserDetails;
        String header = request.getHeader(HEADER);
        if (bySession && (header == null || header.isBlank())) {
            errors.write(response, HttpServletResponse.SC_FORBIDDEN, "a write from a signed-in browser session needs "
                    + "the " + HEADER + " header (cross-site request forgery protection)");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean jsonOrNoBody(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null || type.isBlank()) {
            return request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null;
        }
        String mediaType = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }
}
