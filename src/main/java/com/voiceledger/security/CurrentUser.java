package com.voiceledger.security;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** The authenticated principal of the current request or UI session. */
@Component
public class CurrentUser {

    public Optional<Principal> get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
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
