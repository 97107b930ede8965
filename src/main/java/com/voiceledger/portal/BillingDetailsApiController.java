package com.voiceledger.portal;

import com.voiceledger.customer.BillingDetails;
import com.voiceledger.customer.BillingDetailsService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.shared.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The customer's billing details, printed on its invoices and sent to Stripe (decision 0077). Customer admins
 * change them; API keys (viewers) only read them. The tax exemption is finance's to set.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Customer")
class BillingDetailsApiController {

    private final CustomerScope scope;
    private final BillingDetailsService details;
    private final CurrentUser currentUser;

    BillingDetailsApiController(CustomerScope scope, BillingDetailsService details, CurrentUser currentUser) {
        this.scope = scope;
        this.details = details;
        this.currentUser = currentUser;
    }

    @GetMapping("/billing-details")
    @Operation(summary = "Your billing details: {legalName, address: {line1, line2, city, postalCode, region, country}, "
            + "taxId, purchaseOrder, billingEmails[], taxExempt}; 404 until they are set")
    BillingDetails get(@RequestParam(required = false) @Nullable String customer) {
        return details.of(scope.resolve(customer).id())
                .orElseThrow(() -> new NotFoundException("no billing details yet: a customer admin sets them with PUT"));
    }

    @PutMapping(path = "/billing-details", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('CUSTOMER_ADMIN')")
    @Operation(summary = "Customer admins: set your billing details (legalName, address.line1, address.city and "
            + "address.country as ISO 3166-1 alpha-2 are required; at most 10 billingEmails). They are printed on "
            + "invoices finalized from now on and sent to Stripe. taxExempt is finance's to change. Audited")
    BillingDetails set(@RequestBody BillingDetails.Form form) {
        return details.set(scope.resolve(null).id(), form, currentUser.require().name(), false);
    }
}
