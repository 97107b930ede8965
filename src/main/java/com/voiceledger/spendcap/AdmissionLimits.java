package com.voiceledger.spendcap;

import com.voiceledger.contract.ContractLimits;
import com.voiceledger.contract.ContractLimits.ModelInUse;
import com.voiceledger.customer.Customer;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A contract's limits at admission (decision 0069): the models a call may use, how many calls may be in
 * progress, how long one may run. A call's slot is its spend reservation: open from admission until the call
 * ends (an ended status update), is rated (its end-of-call report) or expires (its maximum duration plus a
 * margin). Callers hold the customer's admission lock (its settings row), so counting then taking a slot is
 * exact across instances.
 */
@Component
class AdmissionLimits {

    /** How long past its maximum duration a call that never reported its end keeps its slot. */
    static final Duration SLOT_MARGIN = Duration.ofMinutes(2);
    /** How far back the cost per minute that sizes {@code maxDurationSeconds} is read. */
    static final Duration COST_WINDOW = Duration.ofDays(7);
    /** Below this a call is refused at the cap rather than started for a few seconds. */
    static final int SHORTEST_CALL_SECONDS = 30;

    private final JdbcClient jdbc;
    private final RatingQueries rating;

    AdmissionLimits(JdbcClient jdbc, RatingQueries rating) {
        this.jdbc = jdbc;
        this.rating = rating;
    }

    /** Calls in progress: the customer's, and one assistant's (0 when none is named). */
    record InUse(int customer, int assistant) {
    }

    InUse inUse(CustomerId customer, @Nullable String assistantId, Instant now) {
        return jdbc.sql("""
                select count(*), count(*) filter (where assistant_id = :assistant) from spendcap_reservation
                where customer_id = :id and released_at is null and ended_at is null and expires_at > :now
                """)
                .param("id", customer.value())
                .param("assistant", assistantId)
                .param("now", Timestamp.from(now))
                .query((rs, row) -> new InUse(rs.getInt(1), rs.getInt(2)))
                .single();
    }

    /** Why the contract's limits refuse this call, if they do. */
    Optional<Admission> refusal(Customer customer, ContractLimits limits, CallToAdmit call, @Nullable String assistantId,
            @Nullable BigDecimal remaining, Instant now) {
        if (!limits.allowsEveryModel()) {
            List<ModelInUse> models = !call.models().isEmpty() || assistantId == null ? call.models()
                    : rating.recentModels(customer.id(), assistantId);
            Optional<String> refused = limits.firstNotAllowed(models);
            if (refused.isPresent()) {
                return Optional.of(Admission.refused("model_not_allowed", refused.get()
                        + " is not allowed by the contract (allowed: " + String.join(", ", limits.allowedModels()) + ")",
                        remaining, customer.externalId(), assistantId));
            }
        }
        if (limits.concurrentCalls() == null && limits.concurrentCallsPerAssistant() == null) {
            return Optional.empty();
        }
        InUse inUse = inUse(customer.id(), assistantId, now);
        if (limits.concurrentCalls() != null && inUse.customer() >= limits.concurrentCalls()) {
            return Optional.of(Admission.refused("concurrency_limit", inUse.customer() + " calls in progress: the "
                    + "contract allows " + limits.concurrentCalls() + " at once", remaining, customer.externalId(),
                    assistantId));
        }
        if (limits.concurrentCallsPerAssistant() != null && assistantId != null
                && inUse.assistant() >= limits.concurrentCallsPerAssistant()) {
            return Optional.of(Admission.refused("assistant_concurrency_limit", inUse.assistant() + " calls of assistant "
                    + assistantId + " in progress: the contract allows " + limits.concurrentCallsPerAssistant()
                    + " per assistant at once", remaining, customer.externalId(), assistantId));
        }
        return Optional.empty();
    }

    /**
     * The longest this call may run: the contract's cap, shortened to what the money left under the spend cap
     * buys at the recent cost per minute (the assistant's, else the customer's); null when neither applies.
     */
    @Nullable Integer maxDurationSeconds(Customer customer, @Nullable ContractLimits limits, @Nullable BigDecimal remaining,
            @Nullable String assistantId, Instant now) {
        Integer contractCap = limits == null ? null : limits.maxCallSeconds();
        Integer affordable = null;
        if (remaining != null) {
            Instant since = now.minus(COST_WINDOW);
            Optional<BigDecimal> perMinute = (assistantId == null ? Optional.<BigDecimal>empty()
                    : rating.chargePerMinute(customer.id(), assistantId, since))
                    .or(() -> rating.chargePerMinute(customer.id(), null, since))
                    .filter(rate -> rate.signum() > 0);
            if (perMinute.isPresent()) {
                BigDecimal seconds = remaining.multiply(BigDecimal.valueOf(60)).divide(perMinute.get(), 0, RoundingMode.DOWN);
                affordable = seconds.min(BigDecimal.valueOf(ContractLimits.MAX_CALL_SECONDS)).intValue();
            }
        }
        if (contractCap == null) {
            return affordable;
        }
        return affordable == null ? contractCap : Math.min(contractCap, affordable);
    }

    /** When a slot taken now stops counting if the call never reports its end. */
    Instant slotExpiry(@Nullable ContractLimits limits, Instant now, Duration reservationTimeout) {
        return limits == null || limits.maxCallSeconds() == null ? now.plus(reservationTimeout)
                : now.plusSeconds(limits.maxCallSeconds()).plus(SLOT_MARGIN);
    }

    /**
     * Keeps the hour's peak of calls in progress (decision 0081): called right after a slot is taken, under the
     * customer's admission lock, with the count of open slots then. One upsert on a small table.
     */
    void recordPeak(CustomerId customer, Instant now) {
        jdbc.sql("""
                insert into spendcap_concurrency_hour (customer_id, hour, peak)
                select :id, date_trunc('hour', cast(:now as timestamptz), 'UTC'), count(*) from spendcap_reservation
                where customer_id = :id and released_at is null and ended_at is null and expires_at > :now
                on conflict (customer_id, hour) do update
                    set peak = greatest(spendcap_concurrency_hour.peak, excluded.peak)
                """)
                .param("id", customer.value())
                .param("now", Timestamp.from(now))
                .update();
    }

    /** The most calls in progress at once from {@code from} (its hour) on, from the hourly peaks. */
    int peakSince(CustomerId customer, Instant from) {
        return jdbc.sql("""
                select coalesce(max(peak), 0) from spendcap_concurrency_hour
                where customer_id = :id and hour >= date_trunc('hour', cast(:from as timestamptz), 'UTC')
                """)
                .param("id", customer.value())
                .param("from", Timestamp.from(from))
                .query(Integer.class)
                .single();
    }

    /** The hourly peaks over {@code [from, to)}, oldest first; hours without an admission are absent. */
    List<ConcurrencyHour> peaksByHour(CustomerId customer, Instant from, Instant to) {
        return jdbc.sql("""
                select hour, peak from spendcap_concurrency_hour
                where customer_id = :id and hour >= date_trunc('hour', cast(:from as timestamptz), 'UTC') and hour < :to
                order by hour
                """)
                .param("id", customer.value())
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .query((rs, row) -> new ConcurrencyHour(rs.getTimestamp(1).toInstant(), rs.getInt(2)))
                .list();
    }

    /** Calls in progress per assistant now, for the concurrency view. */
    List<AssistantInUse> byAssistant(CustomerId customer, Instant now) {
        return jdbc.sql("""
                select assistant_id, count(*) from spendcap_reservation
                where customer_id = :id and released_at is null and ended_at is null and expires_at > :now
                  and assistant_id is not null
                group by assistant_id order by assistant_id
                """)
                .param("id", customer.value())
                .param("now", Timestamp.from(now))
                .query((rs, row) -> new AssistantInUse(rs.getString(1), rs.getInt(2)))
                .list();
    }

    record AssistantInUse(String assistantId, int inUse) {
    }

    static Instant startOfDay(Customer customer, Instant now) {
        return LocalDate.ofInstant(now, customer.billingTimeZone()).atStartOfDay(customer.billingTimeZone()).toInstant();
    }
}
