package com.voiceledger.rating;

import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Margin = charge − provider cost, read from the rollups (never from raw calls) by customer, layer,
 * provider/model or assistant, and per call for drill-downs. Per-minute charges sit on their own
 * {@code voice_minutes} rows while their cost sits on the layers, so by layer a per-minute customer's
 * layers show their cost and {@code voice_minutes} its revenue: that is the truth of an all-in price.
 */
@Service
@Transactional(readOnly = true)
public class Margins {

    /** How margin rows are grouped. */
    public enum GroupBy {
        CUSTOMER("customer_id::text"), LAYER("layer"), MODEL("provider || ' ' || model"), ASSISTANT("assistant_id");

        private final String expression;

        GroupBy(String expression) {
            this.expression = expression;
        }

        public static GroupBy parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new BadRequestException("groupBy must be one of " + Arrays.stream(values())
                        .map(g -> g.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
            }
        }
    }

    /** One call's margin, for "worst first" drill-downs. */
    public record CallMargin(String callId, Instant callTime, BigDecimal charge, BigDecimal providerCost,
            BigDecimal margin) {
    }

    private final JdbcClient jdbc;

    Margins(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<MarginRow> by(GroupBy groupBy, YearMonth month) {
        return jdbc.sql("""
                select %s, sum(charge), sum(provider_cost), sum(calls) from rating_rollup_daily
                where day >= :from and day < :to group by 1 order by sum(charge) - sum(provider_cost)
                """.formatted(groupBy.expression))
                .param("from", Date.valueOf(month.atDay(1)))
                .param("to", Date.valueOf(month.plusMonths(1).atDay(1)))
                .query((rs, row) -> MarginRow.of(rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getLong(4)))
                .list();
    }

    /** A customer's month margin, from its rollups. */
    public MarginRow ofCustomer(CustomerId customer, YearMonth month) {
        return jdbc.sql("""
                select coalesce(sum(charge), 0), coalesce(sum(provider_cost), 0), coalesce(sum(calls), 0)
                from rating_rollup_daily where customer_id = :customer and day >= :from and day < :to
                """)
                .param("customer", customer.value())
                .param("from", Date.valueOf(month.atDay(1)))
                .param("to", Date.valueOf(month.plusMonths(1).atDay(1)))
                .query((rs, row) -> MarginRow.of(customer.toString(), rs.getBigDecimal(1), rs.getBigDecimal(2), 0))
                .single();
    }

    /** A customer's calls of a month, worst margin first. */
    public List<CallMargin> worstCalls(CustomerId customer, YearMonth month, int limit) {
        return jdbc.sql("""
                select call_id, call_time, charge, provider_cost from rating_call
                where customer_id = :customer and day >= :from and day < :to
                order by charge - provider_cost, call_time limit :limit
                """)
                .param("customer", customer.value())
                .param("from", Date.valueOf(month.atDay(1)))
                .param("to", Date.valueOf(month.plusMonths(1).atDay(1)))
                .param("limit", Math.clamp(limit, 1, 1000))
                .query((rs, row) -> new CallMargin(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        rs.getBigDecimal(3).stripTrailingZeros(), rs.getBigDecimal(4).stripTrailingZeros(),
                        rs.getBigDecimal(3).subtract(rs.getBigDecimal(4)).stripTrailingZeros()))
                .list();
    }
}
