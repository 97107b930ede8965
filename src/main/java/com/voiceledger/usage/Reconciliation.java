package com.voiceledger.usage;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The platform's view of telephony against Twilio's, per call of a customer-month: transport minutes
 * the platform reported vs Twilio's CallDuration rounded up to whole minutes (as Twilio bills), calls
 * only one side saw, and calls Twilio did not complete that still carry cost.
 */
@Service
@Transactional(readOnly = true)
public class Reconciliation {

    private final JdbcClient jdbc;

    Reconciliation(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One call's two views; {@code issue} is MATCHED, MINUTES_DIFFER, PLATFORM_ONLY, TWILIO_ONLY or NOT_COMPLETED_WITH_COST. */
    public record Row(@Nullable String callId, @Nullable String callSid, @Nullable Instant callTime,
            BigDecimal platformMinutes, @Nullable Integer twilioSeconds, BigDecimal twilioBilledMinutes,
            BigDecimal deltaMinutes, @Nullable String twilioStatus, @Nullable BigDecimal providerCost, String issue) {
    }

    public record Report(YearMonth month, long calls, long matched, long issues, BigDecimal platformMinutes,
            BigDecimal twilioBilledMinutes, BigDecimal deltaMinutes, List<Row> rows) {
    }

    public Report report(CustomerId customer, YearMonth month, Instant from, Instant to) {
        List<Row> rows = jdbc.sql("""
                select c.id, c.twilio_call_sid, c.call_time,
                    coalesce((select sum(quantity) from usage_components(c.components) u
                              where u.layer = 'telephony' and u.unit = 'minute'), 0),
                    t.duration_seconds, t.call_status, c.provider_cost
                from usage_call c left join usage_twilio_call t on t.call_sid = c.twilio_call_sid
                where c.customer_id = :customer and c.call_time >= :from and c.call_time < :to and c.reported
                  and c.twilio_call_sid is not null
                order by c.call_time, c.id
                """)
                .param("customer", customer.value())
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .query((rs, row) -> row(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getBigDecimal(4), (Integer) rs.getObject(5), rs.getString(6), rs.getBigDecimal(7)))
                .list();
        BigDecimal platform = rows.stream().map(Row::platformMinutes).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal twilio = rows.stream().map(Row::twilioBilledMinutes).reduce(BigDecimal.ZERO, BigDecimal::add);
        long matched = rows.stream().filter(r -> r.issue().equals("MATCHED")).count();
        return new Report(month, rows.size(), matched, rows.size() - matched, platform.stripTrailingZeros(),
                twilio.stripTrailingZeros(), twilio.subtract(platform).stripTrailingZeros(), rows);
    }

    /** Twilio calls of a period that no platform call claims (they belong to no customer yet). */
    public List<Row> twilioOnly(Instant from, Instant to) {
        return jdbc.sql("""
                select t.call_sid, t.occurred_at, t.duration_seconds, t.call_status from usage_twilio_call t
                where coalesce(t.occurred_at, t.updated_at) >= :from and coalesce(t.occurred_at, t.updated_at) < :to
                  and not exists (select 1 from usage_call c where c.twilio_call_sid = t.call_sid)
                order by t.occurred_at
                """)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .query((rs, row) -> row(null, rs.getString(1), rs.getTimestamp(2) == null ? null
                        : rs.getTimestamp(2).toInstant(), BigDecimal.ZERO, (Integer) rs.getObject(3), rs.getString(4), null))
                .list();
    }

    static Row row(@Nullable String callId, @Nullable String callSid, @Nullable Instant callTime,
            BigDecimal platformMinutes, @Nullable Integer twilioSeconds, @Nullable String twilioStatus,
            @Nullable BigDecimal providerCost) {
        BigDecimal billed = twilioSeconds == null ? BigDecimal.ZERO : BigDecimal.valueOf((twilioSeconds + 59) / 60);
        BigDecimal delta = billed.subtract(platformMinutes).stripTrailingZeros();
        String issue;
        if (callId == null) {
            issue = "TWILIO_ONLY";
        } else if (twilioStatus == null) {
            issue = "PLATFORM_ONLY";
        } else if (!twilioStatus.equals("completed") && providerCost != null && providerCost.signum() > 0) {
            issue = "NOT_COMPLETED_WITH_COST";
        } else if (billed.compareTo(platformMinutes.setScale(0, java.math.RoundingMode.CEILING)) != 0) {
            issue = "MINUTES_DIFFER";
        } else {
            issue = "MATCHED";
        }
        return new Row(callId, callSid, callTime, platformMinutes.stripTrailingZeros(), twilioSeconds, billed, delta,
                twilioStatus, providerCost, issue);
    }
}
