package com.voiceledger.usage.internal;

import com.voiceledger.shared.CustomerId;
import com.voiceledger.usage.CallSummary;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The one mapping of a {@code usage_call} row to {@link CallSummary}. */
public final class CallRows {

    public static final String SELECT_CALL = """
            select c.id, c.customer_id, c.type, c.status, c.call_time, c.started_at, c.ended_at, c.duration_seconds,
                c.ended_reason, c.assistant_id, c.phone_number_id, c.org_id, c.attribution_key, c.provider_cost,
                c.currency, c.reported
            from usage_call c""";

    private CallRows() {
    }

    public static CallSummary summary(ResultSet rs, int row) throws SQLException {
        long customerId = rs.getLong("customer_id");
        CustomerId owner = rs.wasNull() ? null : CustomerId.of(customerId);
        BigDecimal cost = rs.getBigDecimal("provider_cost");
        return new CallSummary(rs.getString("id"), owner, rs.getString("type"), rs.getString("status"),
                instant(rs.getTimestamp("call_time")), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("ended_at")), rs.getInt("duration_seconds"), rs.getString("ended_reason"),
                rs.getString("assistant_id"), rs.getString("phone_number_id"), rs.getString("org_id"),
                rs.getString("attribution_key"), cost == null ? null : cost.stripTrailingZeros(),
                rs.getString("currency").strip(), rs.getBoolean("reported"));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
