package com.voiceledger.admin;

import com.voiceledger.customer.BillingDetails;
import com.voiceledger.customer.BillingDetailsService;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.shared.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Finance reads and sets a customer's billing details, tax exemption included (decision 0077). */
@RestController
@RequestMapping(path = "/api/admin/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin: customers")
class BillingDetailsAdminController {

    private final CustomerService customers;
    private final BillingDetailsService details;
    private final CurrentUser currentUser;

    BillingDetailsAdminController(CustomerService customers, BillingDetailsService details, CurrentUser currentUser) {
        this.customers = customers;
        this.details = details;
        this.currentUser = currentUser;
    }

    @GetMapping("/customers/{externalId}/billing-details")
    @Operation(summary = "The customer's billing details; 404 until they are set")
    BillingDetails get(@PathVariable String externalId) {
        return details.of(customers.getByExternalId(externalId).id())
                .orElseThrow(() -> new NotFoundException("customer '" + externalId + "' has no billing details yet"));
    }

    @PutMapping(path = "/customers/{externalId}/billing-details", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set the customer's billing details, taxExempt included; printed on invoices finalized from "
            + "now on and sent to Stripe. Audited")
    BillingDetails set(@PathVariable String externalId, @RequestBody BillingDetails.Form form) {
        return details.set(customers.getByExternalId(externalId).id(), form, currentUser.require().name(), true);
    }
}
