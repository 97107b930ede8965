package com.voiceledger.security.internal;

import com.voiceledger.security.AppUserDetails;
import com.voiceledger.security.SessionEpochs;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a signed-in session that is no longer valid (its person removed, demoted, or their password
 * changed elsewhere) before the request is authorised: the request goes on anonymous, so the API
 * answers 401 and the UI sends the person to the sign-in page.
 */
public class SessionEpochFilter extends OncePerRequestFilter {

    private final SessionEpochs epochs;
    private final SecurityContextHolderStrategy strategy;

    public SessionEpochFilter(SessionEpochs epochs, SecurityContextHolderStrategy strategy) {
        this.epochs = epochs;
        this.strategy = strategy;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = strategy.getContext().getAuthentication();
        HttpSession session = request.getSession(false);
        if (session != null && authentication != null
                && authentication.getPrincipal() instanceof AppUserDetails person && !epochs.valid(person, session)) {
            strategy.clearContext();
            session.invalidate();
        }
        chain.doFilter(request, response);
    }
}
