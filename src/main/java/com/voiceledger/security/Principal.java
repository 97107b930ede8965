package com.voiceledger.security;

import com.voiceledger.shared.CustomerId;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who is asking, once authenticated: a person or a machine credential, with the customer it is
 * scoped to (none for finance).
 */
public record Principal(String name, String displayName, Role role, @Nullable CustomerId customerId) {

    public Principal {
        if (role.isCustomerRole() && customerId == null) {
            throw new IllegalArgumentException("a customer role needs a customer");
        }
    }

    public Optional<CustomerId> customer() {
        return Optional.ofNullable(customerId);
    }

    public boolean isFinance() {
        return role == Role.FINANCE_ADMIN;
    }
}
