package com.voiceledger.security;

/** What someone may do. Customer roles are always scoped to one customer. */
public enum Role {
    CUSTOMER_VIEWER,
    CUSTOMER_ADMIN,
    FINANCE_ADMIN;

    /** Names for {@code @RolesAllowed} and {@code hasRole}. */
    public static final String VIEWER = "CUSTOMER_VIEWER";
    public static final String ADMIN = "CUSTOMER_ADMIN";
    public static final String FINANCE = "FINANCE_ADMIN";

    public boolean isCustomerRole() {
        return this != FINANCE_ADMIN;
    }
}
