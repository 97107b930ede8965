package com.voiceledger.admin;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.spendcap.Dunning;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Finance sees who is where on the dunning ladder and pauses a customer's (decision 0088). */
@RestController
@RequestMapping(path = "/api/admin/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin: billing")
class DunningController {

    private final Dunning dunning;
    private final CustomerService customers;
    private final CurrentUser currentUser;

    DunningController(Dunning dunning, CustomerService customers, CurrentUser currentUser) {
        this.dunning = dunning;
        this.customers = customers;
        this.currentUser = currentUser;
    }

    record PauseRequest(@Nullable Boolean paused, @Nullable String reason) {
    }

    record PauseAnswer(String customer, boolean paused, Dunning.@Nullable Case dunningCase) {
    }

    @GetMapping("/dunning")
    @Operation(summary = "Customers with an invoice whose payment failed: the invoice, since when, the step reached "
            + "(FAILED, REMINDED, OVERDUE: calls refused, SUSPENDED), the next step and when, and whether paused")
    List<Dunning.Case> cases() {
        return dunning.cases();
    }

    @PutMapping(path = "/customers/{externalId}/dunning", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Pause (paused: true) or resume a customer's dunning, with a reason; paused, its calls are "
            + "not refused as overdue and its case does not climb")
    PauseAnswer pause(@PathVariable String externalId, @RequestBody PauseRequest request) {
        if (request.paused() == null) {
            throw new BadRequestException("paused (true or false) is required");
        }
        Customer customer = customers.getByExternalId(externalId);
        boolean paused = request.paused();
        Dunning.Case dunningCase = dunning.pause(customer, paused, request.reason(), currentUser.require().name()).orElse(null);
        return new PauseAnswer(customer.externalId(), paused, dunningCase);
    }
}
