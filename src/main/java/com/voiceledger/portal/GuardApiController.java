package com.voiceledger.portal;

import com.voiceledger.customer.Customer;
import com.voiceledger.guard.CostGuards;
import com.voiceledger.guard.Finding;
import com.voiceledger.guard.GuardRule;
import com.voiceledger.shared.BadRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Cost guard findings of a month: counts and wasted spend per rule, and the calls behind them. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Customer")
class GuardApiController {

    private final CustomerScope scope;
    private final CostGuards guards;
    private final java.time.Clock clock;

    GuardApiController(CustomerScope scope, CostGuards guards, java.time.Clock clock) {
        this.clock = clock;
        this.scope = scope;
        this.guards = guards;
    }

    record GuardReport(YearMonth month, List<CostGuards.RuleSummary> rules, List<Finding> findings) {
    }

    @GetMapping("/guards")
    @Operation(summary = "Cost guard findings of a month (YYYY-MM, default this month), optionally one rule")
    GuardReport guards(@RequestParam(required = false) @Nullable String month,
            @RequestParam(required = false) @Nullable String rule,
            @RequestParam(required = false) @Nullable String customer) {
        Customer owner = scope.resolve(customer);
        YearMonth which;
        which = month == null ? YearMonth.now(clock.withZone(owner.billingTimeZone()))
                : com.voiceledger.shared.InputBounds.month("month", month);
        GuardRule only;
        try {
            only = rule == null ? null : GuardRule.valueOf(rule);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("unknown rule '" + rule + "'");
        }
        Instant from = which.atDay(1).atStartOfDay(owner.billingTimeZone()).toInstant();
        Instant to = which.plusMonths(1).atDay(1).atStartOfDay(owner.billingTimeZone()).toInstant();
        return new GuardReport(which, guards.summary(owner.id(), from, to), guards.findings(owner.id(), from, to, only));
    }
}
