package com.voiceledger.admin;

import com.voiceledger.billing.TaxRates;
import com.voiceledger.billing.TaxRule;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.shared.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Finance sets a customer's tax rate (decision 0079): the tax line on its invoices finalized from then on. */
@RestController
@RequestMapping(path = "/api/admin/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin: customers")
class TaxRateController {

    private final CustomerService customers;
    private final TaxRates taxes;
    private final CurrentUser currentUser;

    TaxRateController(CustomerService customers, TaxRates taxes, CurrentUser currentUser) {
        this.customers = customers;
        this.taxes = taxes;
        this.currentUser = currentUser;
    }

    record TaxRateRequest(@Nullable BigDecimal rate, @Nullable String label) {
    }

    @GetMapping("/customers/{externalId}/tax-rate")
    @Operation(summary = "The customer's configured tax rate {rate, label}; 404 when its invoices carry no tax")
    TaxRule.Rate get(@PathVariable String externalId) {
        return taxes.of(customers.getByExternalId(externalId).id())
                .orElseThrow(() -> new NotFoundException("customer '" + externalId + "' has no tax rate"));
    }

    @PutMapping(path = "/customers/{externalId}/tax-rate", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set the customer's tax rate ({\"rate\": \"0.19\", \"label\": \"VAT 19%\"}; rate null removes "
            + "it). Invoices finalized from now on carry a tax line: the rate on subtotal + credits, 0 when the customer "
            + "is taxExempt, the EU reverse-charge note when it is a business in another member state. Audited")
    TaxRule.Rate set(@PathVariable String externalId, @RequestBody TaxRateRequest request) {
        return taxes.set(customers.getByExternalId(externalId).id(), request.rate(), request.label(),
                currentUser.require().name()).orElse(new TaxRule.Rate(BigDecimal.ZERO, "no tax"));
    }
}
