package com.voiceledger.security;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.stereotype.Component;

/**
 * The authenticated principal of the current request or UI session. Reads the same security context
 * strategy the filter chains use (Vaadin installs its own, one per application context).
 */
@Component
public class CurrentUser {

    private final SecurityContextHolderStrategy strategy;

    CurrentUser(ObjectProvider<SecurityContextHolderStrategy> strategy) {
        this.strategy = strategy.getIfAvailable(SecurityContextHolder::getContextHolderStrategy);
    }

    /** The strategy in use, for code that must set the context (authentication filters, tests). */
    public SecurityContextHolderStrategy strategy() {
        return strategy;
    }

    public Optional<Principal> get() {
        Authentication authentication = strategy.getContext().getAuthentication();
        if (authentication == null) {
            return Optional.empty();
        }
        return switch (authentication.getPrincipal()) {
            case Principal principal -> Optional.of(principal);
            case AppUserDetails details -> Optional.of(details.principal());
            case null, default -> Optional.empty();
        };
    }

    public Principal require() {
        return get().orElseThrow(() -> new IllegalStateException("no authenticated user"));
    }
}
