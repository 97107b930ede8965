package com.voiceledger.portal;

import com.voiceledger.contract.ContractService;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Principal;
import com.voiceledger.shared.BadRequestException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Whose data a portal request reads: a customer user's or key's own customer, always; finance may
 * name any customer (to view as that customer). A customer can never widen its scope by a parameter.
 */
@Component
public class CustomerScope {

    private final CurrentUser currentUser;
    private final CustomerService customers;
    private final ContractService contracts;
    private final java.time.Clock clock;

    CustomerScope(CurrentUser currentUser, CustomerService customers, ContractService contracts, java.time.Clock clock) {
        this.currentUser = currentUser;
        this.customers = customers;
        this.contracts = contracts;
        this.clock = clock;
    }

    /**
     * Provider cost is the platform's own figure: finance sees it, a customer only when its contract in
     * force promises cost transparency ("cost + x %"). Nobody outside finance sees margins.
     */
    public boolean seesProviderCost(Customer customer) {
        if (currentUser.require().isFinance()) {
            return true;
        }
        return contracts.contractAt(customer.id(), clock.instant()).map(c -> c.terms().costTransparency())
                .orElse(false);
    }

    /** Finance may look at any customer; everyone else only at their own. */
    public boolean isFinance() {
        return currentUser.require().isFinance();
    }

    public Customer resolve(@Nullable String requestedExternalId) {
        Principal principal = currentUser.require();
        if (principal.customerId() != null) {
            return customers.get(principal.customerId());
        }
        if (requestedExternalId == null || requestedExternalId.isBlank()) {
            throw new BadRequestException("finance must name the customer: add ?customer=<externalId>");
        }
        return customers.getByExternalId(requestedExternalId);
    }
}
