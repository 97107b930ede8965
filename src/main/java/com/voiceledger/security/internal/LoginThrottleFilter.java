package com.voiceledger.security.internal;

import com.voiceledger.security.LoginThrottle;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes a sign-in form post's attempt from its login's and its client address's budgets before the
 * password is hashed (bcrypt on two cores is the expensive part of a flood), and refuses it unchecked
 * when either is used up. Taking and checking are one atomic step, so concurrent guesses cannot all slip
 * past a check made before any of them failed; a successful sign-in gives its attempt back
 * ({@code SignInEvents}). The answer is the same as for a wrong password, so a locked account tells
 * nothing an unknown one would not.
 */
public class LoginThrottleFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottleFilter.class);

    private final LoginThrottle throttle;

    public LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !Routes.SIGN_IN.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // a missing login still costs a hash (Spring hashes against a dummy to hide unknown logins): it takes
        // its attempt from the empty login's budget and from the address's, like any other
        String username = request.getParameter("username");
        if (!throttle.admitSignIn(username == null ? "" : username, request.getRemoteAddr()).isZero()) {
            log.info("sign-in refused while locked: login '{}' from {}", username, request.getRemoteAddr());
            response.sendRedirect(request.getContextPath() + "/login?error");
            return;
        }
        chain.doFilter(request, response);
    }
}
