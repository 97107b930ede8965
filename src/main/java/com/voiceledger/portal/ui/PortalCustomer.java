package com.voiceledger.portal.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.voiceledger.customer.Customer;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.ui.ViewAs;
import java.util.Optional;

/**
 * Whose portal page this is: a customer user's own customer, always; for finance, the customer named
 * in the address ({@code ?customer=}) or the one it is viewing as. Finance with neither is sent to the
 * customer list to pick one.
 */
final class PortalCustomer {

    private PortalCustomer() {
    }

    static Optional<Customer> resolve(CustomerScope scope, BeforeEnterEvent event) {
        if (!scope.isFinance()) {
            return Optional.of(scope.resolve(null));
        }
        Optional<String> requested = event.getLocation().getQueryParameters().getSingleParameter("customer")
                .or(ViewAs::customer);
        if (requested.isEmpty()) {
            event.forwardTo("admin/customers");
            return Optional.empty();
        }
        return Optional.of(scope.resolve(requested.get()));
    }
}
