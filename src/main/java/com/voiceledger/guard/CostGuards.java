package com.voiceledger.guard;

import com.voiceledger.contract.ContractLimits;
import com.voiceledger.contract.ContractService;
import com.voiceledger.customer.CallOwnerHints;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.database.DeferredWrites;
import com.voiceledger.database.SettingsVersion;
import com.voiceledger.database.VersionedCache;
import com.voiceledger.guard.internal.ArtifactTurns;
import com.voiceledger.rating.CallRated;
import com.voiceledger.rating.RatedCall;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.Layer;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.usage.CallIdentity;
import com.voiceledger.usage.CallQueries;
import com.voiceledger.usage.CallReported;
import com.voiceledger.usage.UsageComponent;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Runs the guard rules on every reported call (in its recording transaction), stores the findings and
 * raises an alert for the first finding of a rule per customer and day (an alert per finding would
 * be a storm). Wasted spend = the finding's share × the call's charge, filled in whichever of report
 * and rating comes second.
 */
@Service
public class CostGuards {

    static final int P95_DAYS = 30;
    static final int P95_MINIMUM_CALLS = 20;
    static final Duration P95_REFRESH = Duration.ofMinutes(5);

    private final java.util.Map<String, CachedP95> p95Cache = new java.util.concurrent.ConcurrentHashMap<>();

    private final JdbcClient jdbc;
    private final CallQueries calls;
    private final RatingQueries rating;
    private final CustomerService customers;
    private final Alerts alerts;
    private final Clock clock;
    private final BigDecimal defaultExpensiveCall;
    // read twice per delivery otherwise; kept while no setting changes anywhere (decision 0045)
    private final VersionedCache<Long, Settings> settingsCache;
    private final DeferredWrites deferred;
    private final ContractService contracts;

    /** A finding's wasted spend filled in from its call's charge, with the batch's other rows (decision 0048). */
    private static final DeferredWrites.Shape WASTED = DeferredWrites.Shape.of(
            "update guard_finding g set wasted = g.wasted_share * v.charge from (",
            "(cast(? as text), cast(? as numeric))", ") as v (call_id, charge) where g.call_id = v.call_id");

    CostGuards(JdbcClient jdbc, CallQueries calls, RatingQueries rating, CustomerService customers, Alerts alerts,
            Clock clock, @Value("${voiceledger.guard.expensive-call:0.50}") BigDecimal defaultExpensiveCall,
            SettingsVersion settingsVersion, DeferredWrites deferred, ContractService contracts) {
        this.deferred = deferred;
        this.contracts = contracts;
        this.settingsCache = VersionedCache.of(settingsVersion, 10_000);
        this.jdbc = jdbc;
        this.calls = calls;
        this.rating = rating;
        this.customers = customers;
        this.alerts = alerts;
        this.clock = clock;
        this.defaultExpensiveCall = defaultExpensiveCall;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(CallReported reported) {
        Customer customer = customers.get(reported.customerId());
        Set<GuardRule> disabled = settings(customer.id()).disabled();
        CallIdentity call = reported.call();
        CallFacts facts = new CallFacts(reported.callId(), reported.callTime(), reported.durationSeconds(),
                reported.endedReason(), call.assistantId(), call.type(), call.customerNumber(),
                ArtifactTurns.parse(reported.artifactJson()));
        List<Finding> findings = new ArrayList<>();
        GuardRules.silenceLoop(facts).ifPresent(findings::add);
        GuardRules.endpointingStorm(facts).ifPresent(findings::add);
        GuardRules.duplicateToolCalls(facts).ifPresent(findings::add);
        GuardRules.maxDuration(facts).ifPresent(findings::add);
        if (call.customerNumber() != null && "outboundPhoneCall".equals(call.type())) {
            ZonedDateTime day = reported.callTime().atZone(customer.billingTimeZone()).toLocalDate()
                    .atStartOfDay(customer.billingTimeZone());
            GuardRules.retryAmplification(facts, calls.outboundAttempts(customer.id(), call.customerNumber(),
                    day.toInstant(), day.plusDays(1).toInstant(), reported.callId())).ifPresent(findings::add);
        }
        if (call.assistantId() != null) {
            Optional<Integer> p95 = p95(customer, call.assistantId(), reported.callTime());
            GuardRules.durationOutlier(facts, p95.map(Integer::doubleValue).orElse(null)).ifPresent(findings::add);
        }
        List<Finding> enabled = new ArrayList<>(findings.stream().filter(f -> !disabled.contains(f.rule())).toList());
        // finance's flag, not the customer's guard: recorded whatever rules the customer switched off
        modelNotAllowed(customer, reported).ifPresent(enabled::add);
        if (enabled.isEmpty()) {
            return; // nearly every call: no need to read its charge
        }
        deferred.flush(); // the charge may be among this batch's rows
        BigDecimal charge = rating.ratedCall(customer.id(), reported.callId()).map(RatedCall::charge).orElse(null);
        enabled.forEach(finding -> record(customer, finding, charge));
    }

    /**
     * Admission refuses an assistant whose model is off the contract's allow-list, as far as it knows the model; the
     * platform may still apply another one (an override in the call). The report says what was used: each off-list
     * model, voice or transcriber is named in one finding, the call priced as usual (decision 0081).
     */
    private Optional<Finding> modelNotAllowed(Customer customer, CallReported reported) {
        ContractLimits limits = contracts.contractAt(customer.id(), reported.callTime()).map(c -> c.terms().limits())
                .orElse(null);
        if (limits == null || limits.allowsEveryModel()) {
            return Optional.empty();
        }
        List<String> offList = reported.components().stream()
                .filter(c -> LIMITED_LAYERS.contains(c.layer()) && !UsageComponent.NO_MODEL.equals(c.model()))
                .filter(c -> !limits.allows(c.provider(), c.model()))
                .map(c -> c.provider() + "/" + c.model() + " (" + c.layer() + ")")
                .distinct().sorted().toList();
        if (offList.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding(reported.callId(), GuardRule.MODEL_NOT_ALLOWED, String.join(", ", offList)
                + " not on the contract's list (" + String.join(", ", limits.allowedModels())
                + "); priced as usual", BigDecimal.ZERO, BigDecimal.ZERO, reported.callTime()));
    }

    /** The layers a contract's allow-list speaks of, as rating names them (decision 0069). */
    private static final Set<String> LIMITED_LAYERS = Set.of(Layer.LLM, Layer.TTS, Layer.STT);

    /**
     * An assistant's rolling P95 moves slowly: computed at most every few minutes per assistant, from the
     * call statistics rollup (a bounded read, whatever the assistant's volume).
     */
    private Optional<Integer> p95(Customer customer, String assistantId, Instant callTime) {
        String key = customer.id().value() + "/" + assistantId;
        Instant now = clock.instant();
        CachedP95 cached = p95Cache.get(key);
        if (cached != null && cached.at().plus(P95_REFRESH).isAfter(now)) {
            return cached.p95();
        }
        Optional<Integer> fresh = rating.durationP95(customer.id(), assistantId,
                callTime.minus(Duration.ofDays(P95_DAYS)).atZone(customer.billingTimeZone()).toLocalDate(),
                P95_MINIMUM_CALLS);
        if (p95Cache.size() >= 100_000) {
            p95Cache.clear();
        }
        p95Cache.put(key, new CachedP95(fresh, now));
        return fresh;
    }

    private record CachedP95(Optional<Integer> p95, Instant at) {
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(CallRated rated) {
        deferred.add(WASTED, rated.callId(), rated.charge());
        Customer customer = customers.get(rated.customerId());
        Settings settings = settings(customer.id());
        if (!settings.disabled().contains(GuardRule.EXPENSIVE_CALL)) {
            GuardRules.expensiveCall(rated.callId(), rated.callTime(), rated.charge(),
                    settings.expensiveCall() == null ? defaultExpensiveCall : settings.expensiveCall(), rated.currency())
                    .ifPresent(finding -> record(customer, finding, rated.charge()));
        }
    }

    /**
     * A {@code tool-calls} delivery: the same (call, tool call id) arriving twice means the platform
     * or the customer's server is retrying, and each retry costs a model turn.
     */
    @Transactional
    public void toolCallsDelivered(CallIdentity call, List<String> toolCallIds) {
        Optional<CustomerId> owner = customers.resolveOwner(new CallOwnerHints(call.metadataCustomerKey(),
                call.assistantId(), call.phoneNumberId(), call.orgId()));
        List<String> repeated = new ArrayList<>();
        for (String toolCallId : toolCallIds) {
            int seen = jdbc.sql("""
                    insert into guard_tool_call (call_id, tool_call_id, customer_id, first_seen)
                    values (:call, :tool, :customer, :now)
                    on conflict (call_id, tool_call_id) do update set seen = guard_tool_call.seen + 1
                    returning seen
                    """)
                    .param("call", call.callId()).param("tool", toolCallId)
                    .param("customer", owner.map(CustomerId::value).orElse(null))
                    .param("now", Timestamp.from(clock.instant()))
                    .query(Integer.class).single();
            if (seen > 1) {
                repeated.add(toolCallId + " (" + seen + " times)");
            }
        }
        if (!repeated.isEmpty() && owner.isPresent()) {
            Customer customer = customers.get(owner.get());
            record(customer, new Finding(call.callId(), GuardRule.DUPLICATE_TOOL_CALL,
                    "tool-calls delivered again: " + String.join(", ", repeated), BigDecimal.ZERO, BigDecimal.ZERO,
                    clock.instant()), null);
        }
    }

    private void record(Customer customer, Finding finding, @Nullable BigDecimal charge) {
        int inserted = jdbc.sql("""
                insert into guard_finding (customer_id, call_id, rule, evidence, wasted_share, wasted, call_time, created_at)
                values (:customer, :call, :rule, :evidence, :share, :wasted, :callTime, :now)
                on conflict (call_id, rule, customer_id) do nothing
                """)
                .param("customer", customer.id().value())
                .param("call", finding.callId())
                .param("rule", finding.rule().name())
                .param("evidence", finding.evidence())
                .param("share", finding.wastedShare())
                .param("wasted", charge == null ? BigDecimal.ZERO : finding.wastedShare().multiply(charge))
                .param("callTime", Timestamp.from(finding.callTime()))
                .param("now", Timestamp.from(clock.instant()))
                .update();
        if (inserted == 1) {
            LocalDate day = finding.callTime().atZone(customer.billingTimeZone()).toLocalDate();
            alerts.raise(customer.id(), YearMonth.from(day), "GUARD_" + finding.rule().name(), day.getDayOfMonth(),
                    finding.rule().title() + " on call " + finding.callId() + ": " + finding.evidence());
        }
    }

    /** Per rule: how many findings and how much spend they wasted, over {@code [from, to)}. */
    @Transactional(readOnly = true)
    public List<RuleSummary> summary(CustomerId customer, Instant from, Instant to) {
        return jdbc.sql("""
                select rule, count(*), coalesce(sum(wasted), 0) from guard_finding
                where customer_id = :customer and call_time >= :from and call_time < :to
                group by rule order by count(*) desc
                """)
                .param("customer", customer.value()).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, row) -> new RuleSummary(GuardRule.valueOf(rs.getString(1)), rs.getLong(2),
                        rs.getBigDecimal(3).stripTrailingZeros()))
                .list();
    }

    /** The findings behind the summary, newest first. */
    @Transactional(readOnly = true)
    public List<Finding> findings(CustomerId customer, Instant from, Instant to, @Nullable GuardRule rule) {
        return jdbc.sql("""
                select call_id, rule, evidence, wasted_share, wasted, call_time from guard_finding
                where customer_id = :customer and call_time >= :from and call_time < :to
                  and (cast(:rule as text) is null or rule = :rule)
                order by call_time desc limit 500
                """)
                .param("customer", customer.value()).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .param("rule", rule == null ? null : rule.name())
                .query((rs, row) -> new Finding(rs.getString(1), GuardRule.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getBigDecimal(4), rs.getBigDecimal(5).stripTrailingZeros(), rs.getTimestamp(6).toInstant()))
                .list();
    }

    /** Switches rules off for a customer and sets its expensive-call threshold (null: the default). */
    @Transactional
    public void configure(CustomerId customer, Set<GuardRule> disabled, @Nullable BigDecimal expensiveCall) {
        settingsCache.forget(customer.value());
        jdbc.sql("""
                insert into guard_setting (customer_id, disabled_rules, expensive_call_threshold)
                values (:customer, :disabled, :threshold)
                on conflict (customer_id) do update set disabled_rules = excluded.disabled_rules,
                    expensive_call_threshold = excluded.expensive_call_threshold
                """)
                .param("customer", customer.value())
                .param("disabled", disabled.stream().map(Enum::name).sorted().collect(Collectors.joining(",")))
                .param("threshold", expensiveCall)
                .update();
    }

    @Transactional(readOnly = true)
    public Settings settings(CustomerId customer) {
        Settings settings = settingsCache.get(customer.value(), key -> settingsNow(customer));
        return settings == null ? settingsNow(customer) : settings;
    }

    private Settings settingsNow(CustomerId customer) {
        return jdbc.sql("select disabled_rules, expensive_call_threshold from guard_setting where customer_id = :customer")
                .param("customer", customer.value())
                .query((rs, row) -> new Settings(Arrays.stream(rs.getString(1).split(",")).filter(s -> !s.isBlank())
                        .map(GuardRule::valueOf).collect(Collectors.toSet()), rs.getBigDecimal(2)))
                .optional()
                .orElse(new Settings(Set.of(), null));
    }

    public record Settings(Set<GuardRule> disabled, @Nullable BigDecimal expensiveCall) {
    }

    public record RuleSummary(GuardRule rule, long findings, BigDecimal wasted) {
    }
}
