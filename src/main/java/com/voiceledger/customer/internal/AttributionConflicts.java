package com.voiceledger.customer.internal;

import com.voiceledger.customer.AttributionConflict;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the disagreements between a call's metadata claim and a mapping, for finance. Written in a
 * transaction of its own: owner resolution runs inside read-only and ingest transactions alike, and
 * noting a disagreement must never undo the call it was found on.
 */
@Component
public class AttributionConflicts {

    private static final Logger log = LoggerFactory.getLogger(AttributionConflicts.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate separate;
    private final Clock clock;

    AttributionConflicts(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public void note(long claimedCustomerId, long mappedCustomerId, String hintType, String hintValue) {
        log.warn("Call metadata claims customer {} but {} {} is mapped to customer {}", claimedCustomerId, hintType,
                hintValue, mappedCustomerId);
        try {
            separate.executeWithoutResult(status -> jdbc.sql("""
                    insert into customer_attribution_conflict (claimed_customer_id, mapped_customer_id, hint_type,
                        hint_value, first_seen_at, last_seen_at)
                    values (:claimed, :mapped, :type, :value, :now, :now)
                    on conflict (claimed_customer_id, mapped_customer_id, hint_type, hint_value)
                    do update set last_seen_at = excluded.last_seen_at
                    """)
                    .param("claimed", claimedCustomerId).param("mapped", mappedCustomerId).param("type", hintType)
                    .param("value", hintValue).param("now", Timestamp.from(clock.instant())).update());
        } catch (DataAccessException e) {
            // the warning above stays in the log; the call itself is attributed by the mapping regardless
            log.warn("Could not record the attribution conflict: {}", e.toString());
        }
    }

    public List<AttributionConflict> recent(int limit) {
        return jdbc.sql("""
                select claimed.external_id, mapped.external_id, c.hint_type, c.hint_value, c.first_seen_at, c.last_seen_at
                from customer_attribution_conflict c
                join customer claimed on claimed.id = c.claimed_customer_id
                join customer mapped on mapped.id = c.mapped_customer_id
                order by c.last_seen_at desc, c.id desc limit :limit
                """)
                .param("limit", limit)
                .query((rs, row) -> new AttributionConflict(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant()))
                .list();
    }
}
