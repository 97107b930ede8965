package com.voiceledger.admin;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.usage.TranscriptPolicies;
import com.voiceledger.usage.TranscriptPolicy;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Finance reads and sets a customer's transcript policy (docs/decisions/0054). */
@RestController
@RequestMapping(path = "/api/admin/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin: customers")
class TranscriptPolicyController {

    private final CustomerService customers;
    private final TranscriptPolicies policies;
    private final CurrentUser currentUser;

    TranscriptPolicyController(CustomerService customers, TranscriptPolicies policies, CurrentUser currentUser) {
        this.customers = customers;
        this.policies = policies;
        this.currentUser = currentUser;
    }

    record PolicyRequest(@Nullable String keep, @Nullable Integer days) {
    }

    @GetMapping("/customers/{externalId}/transcript-policy")
    @Operation(summary = "How long the customer's call transcripts are kept: keep ALWAYS, DAYS (with days) or NEVER")
    TranscriptPolicy policy(@PathVariable String externalId) {
        return policies.of(customers.getByExternalId(externalId).id());
    }

    @PutMapping(path = "/customers/{externalId}/transcript-policy", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set how long the customer's call transcripts are kept ({\"keep\": \"DAYS\", \"days\": 30}); "
            + "NEVER: none stored from now on, the stored ones deleted by the retention job. Audited")
    TranscriptPolicy setPolicy(@PathVariable String externalId, @RequestBody PolicyRequest request) {
        Customer customer = customers.getByExternalId(externalId);
        return policies.set(customer.id(), TranscriptPolicy.parse(request.keep(), request.days()),
                currentUser.require().name());
    }
}
