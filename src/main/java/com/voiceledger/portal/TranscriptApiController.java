package com.voiceledger.portal;

import com.voiceledger.security.CurrentUser;
import com.voiceledger.usage.TranscriptPolicies;
import com.voiceledger.usage.TranscriptPolicy;
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

/** A customer's transcript policy: how long its call transcripts are kept (docs/decisions/0054). */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Customer")
class TranscriptApiController {

    private final CustomerScope scope;
    private final TranscriptPolicies policies;
    private final CurrentUser currentUser;

    TranscriptApiController(CustomerScope scope, TranscriptPolicies policies, CurrentUser currentUser) {
        this.scope = scope;
        this.policies = policies;
        this.currentUser = currentUser;
    }

    record PolicyRequest(@Nullable String keep, @Nullable Integer days) {
    }

    @GetMapping("/settings/transcripts")
    @Operation(summary = "How long your call transcripts are kept: keep ALWAYS, DAYS (with days) or NEVER")
    TranscriptPolicy policy(@RequestParam(required = false) @Nullable String customer) {
        return policies.of(scope.resolve(customer).id());
    }

    @PutMapping(path = "/settings/transcripts", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('CUSTOMER_ADMIN')")
    @Operation(summary = "Customer admins: keep transcripts ALWAYS, for DAYS ({\"keep\": \"DAYS\", \"days\": 30}) or "
            + "NEVER (none stored from now on; stored ones deleted within minutes). Audited")
    TranscriptPolicy setPolicy(@RequestBody PolicyRequest request) {
        return policies.set(scope.resolve(null).id(), TranscriptPolicy.parse(request.keep(), request.days()),
                currentUser.require().name());
    }
}
