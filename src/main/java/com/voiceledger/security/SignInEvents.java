package com.voiceledger.security;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Feeds the form sign-in's outcomes (Spring Security's events) to the {@link LoginThrottle}: the attempt
 * was taken before the password was checked; a success gives it back, a failure may start a lock.
 */
@Component
class SignInEvents {

    private final LoginThrottle throttle;

    SignInEvents(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        if (event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details) {
            throttle.loginFailed(event.getAuthentication().getName(), details.getRemoteAddress());
        }
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        if (event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details) {
            throttle.signInSucceeded(event.getAuthentication().getName(), details.getRemoteAddress());
        }
    }
}
