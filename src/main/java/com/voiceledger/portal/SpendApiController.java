package com.voiceledger.portal;

import com.voiceledger.contract.ContractLimits.ModelInUse;
import com.voiceledger.customer.CallOwnerHints;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.rating.UnitGrants;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Principal;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Layer;
import com.voiceledger.shared.NotFoundException;
import com.voiceledger.spendcap.Admission;
import com.voiceledger.spendcap.Alert;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.spendcap.AssistantBudget;
import com.voiceledger.spendcap.AssistantBudgets;
import com.voiceledger.spendcap.CallToAdmit;
import com.voiceledger.spendcap.Concurrency;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.spendcap.SpendStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
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
    private final AssistantBudgets budgets;
    private final UnitGrants grants;

    SpendApiController(CustomerScope scope, SpendCaps spendCaps, Alerts alerts, CustomerService customers,
            CurrentUser currentUser, AssistantBudgets budgets, UnitGrants grants) {
        this.grants = grants;
        this.budgets = budgets;
        this.scope = scope;
        this.spendCaps = spendCaps;
        this.alerts = alerts;
        this.customers = customers;
        this.currentUser = currentUser;
    }

    record AdmissionRequest(@Nullable String customerId, @Nullable String assistantId, @Nullable String phoneNumberId,
            @Nullable String callId, @Nullable ModelRef model, @Nullable ModelRef voice, @Nullable ModelRef transcriber) {

        /** What the caller says of the call: its assistant and the model, voice and transcriber it names. */
        CallToAdmit call() {
            List<ModelInUse> models = new ArrayList<>();
            add(models, Layer.LLM, model, "model");
            add(models, Layer.TTS, voice, "voice");
            add(models, Layer.STT, transcriber, "transcriber");
            return new CallToAdmit(assistantId, models);
        }

        private static void add(List<ModelInUse> models, String layer, @Nullable ModelRef ref, String field) {
            if (ref == null) {
                return;
            }
            if (ref.provider() == null || ref.provider().isBlank() || ref.model() == null || ref.model().isBlank()
                    || ref.provider().length() > 100 || ref.model().length() > 200) {
                throw new BadRequestException(field + " needs a provider and a model (for example {\"provider\": "
                        + "\"openai\", \"model\": \"gpt-4o\"})");
            }
            models.add(new ModelInUse(layer, ref.provider(), ref.model()));
        }
    }

    /** A provider and its model, voice or transcriber, as the platform names them. */
    record ModelRef(@Nullable String provider, @Nullable String model) {
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
            return spendCaps.admit(own, request.callId(), request.call());
        }
        if (request.customerId() != null) {
            return spendCaps.admit(customers.getByExternalId(request.customerId()), request.callId(), request.call());
        }
        if (request.assistantId() == null && request.phoneNumberId() == null) {
            throw new BadRequestException("name the customer: customerId, assistantId or phoneNumberId");
        }
        return spendCaps.admit(new CallOwnerHints(null, request.assistantId(), request.phoneNumberId(), null),
                request.callId(), request.call());
    }

    record BudgetRequest(@Nullable BigDecimal monthlyAmount, @Nullable List<Integer> thresholds) {
    }

    @PutMapping(path = "/assistants/{assistantId}/budget", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('CUSTOMER_ADMIN')")
    @Operation(summary = "Customer admins: a monthly budget for one assistant; its calls are refused once it is spent")
    AssistantBudget setBudget(@PathVariable String assistantId, @RequestBody BudgetRequest request) {
        if (request.monthlyAmount() == null) {
            throw new BadRequestException("monthlyAmount is required (for example \"50.00\")");
        }
        return budgets.set(scope.resolve(null), assistantId, request.monthlyAmount(), request.thresholds(),
                currentUser.require().name());
    }

    @DeleteMapping("/assistants/{assistantId}/budget")
    @PreAuthorize("hasRole('CUSTOMER_ADMIN')")
    @Operation(summary = "Customer admins: remove an assistant's budget")
    Map<String, String> removeBudget(@PathVariable String assistantId) {
        budgets.remove(scope.resolve(null), assistantId, currentUser.require().name());
        return Map.of("assistantId", assistantId, "budget", "removed");
    }

    @GetMapping("/assistants/budgets")
    @Operation(summary = "Each assistant budget and how it stands this month")
    List<AssistantBudget> budgets(@RequestParam(required = false) @Nullable String customer) {
        return budgets.budgets(scope.resolve(customer));
    }

    @GetMapping("/entitlements")
    @Operation(summary = "Each grant in units of the contract in force: granted, used, remaining and rolled-over units "
            + "of its current period (BILLING-RULES §7)")
    List<UnitGrants.Entitlement> entitlements(@RequestParam(required = false) @Nullable String customer) {
        return grants.entitlements(scope.resolve(customer).id());
    }

    @GetMapping("/concurrency")
    @Operation(summary = "Calls in progress against the contract's concurrency limits, per assistant, and today's peak")
    Concurrency concurrency(@RequestParam(required = false) @Nullable String customer) {
        return spendCaps.concurrency(scope.resolve(customer));
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
