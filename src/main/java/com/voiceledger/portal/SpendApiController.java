package com.voiceledger.portal;

import com.voiceledger.customer.CallOwnerHints;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Principal;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.NotFoundException;
import com.voiceledger.spendcap.Admission;
import com.voiceledger.spendcap.Alert;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.spendcap.SpendStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spend against the cap, admission ("may this call start?"), alerts and a customer's own settings. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Customer")
class SpendApiController {

    private final CustomerScope scope;
    private final SpendCaps spendCaps;
    private final Alerts alerts;
    private final CustomerService customers;
    private final CurrentUser currentUser;

    SpendApiController(CustomerScope scope, SpendCaps spendCaps, Alerts alerts, CustomerService customers,
            CurrentUser currentUser) {
        this.scope = scope;
        this.spendCaps = spendCaps;
        this.alerts = alerts;
        this.customers = customers;
        this.currentUser = currentUser;
    }

    record AdmissionRequest(@Nullable String customerId, @Nullable String assistantId, @Nullable String phoneNumberId,
            @Nullable String callId) {
    }

    record CapRequest(@Nullable BigDecimal amount) {
    }

    record WebhookRequest(@Nullable String url) {
    }

    record EmailRequest(@Nullable String email) {
    }

    @PostMapping(path = "/admission", consumes = MediaType.APPLICATION_JSON_VALUE)
    // For machines (API keys, the admin token: the dialer) and, in a browser, customer admins and finance: a
    // viewer's session reserves no spend (issue 25). API keys carry the viewer role, so the session is told
    // apart by its principal, a signed-in person.
    @PreAuthorize("!(principal instanceof T(com.voiceledger.security.AppUserDetails)) "
            + "or hasAnyRole('CUSTOMER_ADMIN', 'FINANCE_ADMIN')")
    @Operation(summary = "May this call start? A customer key asks for its own calls; the admin token for any "
            + "customer (by customerId, or assistantId/phoneNumberId as attributed)")
    Admission admission(@RequestBody AdmissionRequest request) {
        Principal principal = currentUser.require();
        if (principal.customerId() != null) {
            Customer own = customers.get(principal.customerId());
            if (request.customerId() != null && !request.customerId().equals(own.externalId())) {
                throw new NotFoundException("no customer '" + request.customerId() + "'");
            }
            return spendCaps.admit(own, request.callId());
        }
        if (request.customerId() != null) {
            return spendCaps.admit(customers.getByExternalId(request.customerId()), request.callId());
        }
        if (request.assistantId() == null && request.phoneNumberId() == null) {
            throw new BadRequestException("name the customer: customerId, assistantId or phoneNumberId");
        }
        return spendCaps.admit(new CallOwnerHints(null, request.assistantId(), request.phoneNumberId(), null),
                request.callId());
    }

    @GetMapping("/spend")
    @Operation(summary = "Month-to-date spend (rated + reserved for calls in progress) against the cap")
    SpendStatus spend(@RequestParam(required = false) @Nullable String customer) {
        return spendCaps.status(scope.resolve(customer));
    }

    @GetMapping("/alerts")
    @Operation(summary = "Spend and cost guard alerts, newest first")
    List<Alert> alerts(@RequestParam(required = false) @Nullable String customer) {
        return alerts.of(scope.resolve(customer).id(), 200);
    }

    @PutMapping(path = "/spend/cap", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('CUSTOMER_ADMIN')")
    @Operation(summary = "Customer admins: a cap of your own, lower than your contract's (null: none)")
    SpendStatus setCap(@RequestBody CapRequest request) {
        return spendCaps.setCustomerCap(scope.resolve(null), request.amount(), currentUser.require().name());
    }

    @PutMapping(path = "/alerts/email", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('CUSTOMER_ADMIN')")
    @Operation(summary = "Customer admins: the address alerts are mailed to (null: none)")
    Map<String, String> setEmail(@RequestBody EmailRequest request) {
        spendCaps.setAlertEmail(scope.resolve(null), request.email());
        return Map.of("email", request.email() == null ? "" : request.email());
    }

    @PutMapping(path = "/alerts/webhook", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('CUSTOMER_ADMIN')")
    @Operation(summary = "Customer admins: where alerts are posted (signed); the signing secret is in this answer only")
    Map<String, String> setWebhook(@RequestBody WebhookRequest request) {
        return Map.of("secret", spendCaps.setAlertWebhook(scope.resolve(null), request.url()));
    }
}
