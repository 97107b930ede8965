package com.voiceledger.ui;

import com.vaadin.flow.server.VaadinSession;
import java.util.Optional;

/**
 * Finance's "view as customer": the customer whose portal finance is looking at, read-only, for the
 * rest of this browser session (or until it stops). Only a convenience for finance: what a request
 * may read is still decided by {@code portal.CustomerScope}, which ignores it for customer users.
 */
public final class ViewAs {

    private static final String ATTRIBUTE = ViewAs.class.getName();

    private ViewAs() {
    }

    public static void start(String customerExternalId) {
        VaadinSession.getCurrent().setAttribute(ATTRIBUTE, customerExternalId);
    }

    public static void stop() {
        VaadinSession.getCurrent().setAttribute(ATTRIBUTE, null);
    }

    /** The customer being viewed as, if finance started viewing as one. */
    public static Optional<String> customer() {
        VaadinSession session = VaadinSession.getCurrent();
        return session == null ? Optional.empty() : Optional.ofNullable((String) session.getAttribute(ATTRIBUTE));
    }
}
