package com.voiceledger.usage;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.database.SettingsVersion;
import com.voiceledger.database.VersionedCache;
import com.voiceledger.shared.CustomerId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each customer's transcript policy (docs/decisions/0054): set by the customer's admins or by finance,
 * audited, read by the ingest path from a cache checked against the settings counter (decision 0045), and
 * applied by the retention job, which deletes the transcripts a policy no longer keeps.
 */
@Service
public class TranscriptPolicies {

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final VersionedCache<CustomerId, TranscriptPolicy> cache;
    private final TransactionTemplate transactions;

    TranscriptPolicies(JdbcClient jdbc, AuditLog audit, Clock clock, SettingsVersion version,
            PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.cache = VersionedCache.of(version, 10_000);
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** The customer's policy (kept always when none was set). */
    @Transactional(readOnly = true)
    public TranscriptPolicy of(CustomerId customer) {
        TranscriptPolicy policy = cache.get(customer, this::read);
        return policy == null ? TranscriptPolicy.ALWAYS : policy;
    }

    private @Nullable TranscriptPolicy read(CustomerId customer) {
        return jdbc.sql("select keep, days from usage_transcript_policy where customer_id = :customer")
                .param("customer", customer.value())
                .query((rs, row) -> new TranscriptPolicy(TranscriptPolicy.Keep.valueOf(rs.getString(1)),
                        (Integer) rs.getObject(2)))
                .optional().orElse(TranscriptPolicy.ALWAYS);
    }

    /** A customer admin or finance sets the policy; audited with who and the policy before and after. */
    @Transactional
    public TranscriptPolicy set(CustomerId customer, TranscriptPolicy policy, String by) {
        TranscriptPolicy before = read(customer);
        cache.forget(customer);
        jdbc.sql("""
                insert into usage_transcript_policy (customer_id, keep, days, changed_by, changed_at)
                values (:customer, :keep, :days, :by, :at)
                on conflict (customer_id) do update set keep = excluded.keep, days = excluded.days,
                    changed_by = excluded.changed_by, changed_at = excluded.changed_at
                """)
                .param("customer", customer.value())
                .param("keep", policy.keep().name())
                .param("days", policy.days())
                .param("by", by)
                .param("at", Timestamp.from(clock.instant()))
                .update();
        audit.record(by, "transcripts.policy", "customer " + customer, "transcript policy " + policy.describe(),
                Map.of("before", before.describe(), "after", policy.describe()));
        return policy;
    }

    /**
     * Deletes, in batches of its own transaction, the transcripts that their customer's policy no longer
     * keeps at {@code now}: every one of a customer that keeps none (also those stored while the call was
     * not attributed yet, or before the policy changed), and those of calls older than the days kept.
     * Claimed with {@code for update skip locked}: two instances at once delete each transcript once.
     */
    public int purge(Instant now, int batch, int maxBatches) {
        int total = 0;
        for (int round = 0; round < maxBatches; round++) {
            Integer deleted = transactions.execute(status -> jdbc.sql("""
                    delete from usage_call_artifact a
                    using (select a.call_id from usage_transcript_policy p
                           join usage_call c on c.customer_id = p.customer_id
                           join usage_call_artifact a on a.call_id = c.id
                           where p.keep = 'NEVER'
                              or (p.keep = 'DAYS' and c.call_time < cast(:now as timestamptz) - make_interval(days => p.days))
                           limit :batch
                           for update of a skip locked) due
                    where a.call_id = due.call_id
                    """)
                    .param("now", Timestamp.from(now))
                    .param("batch", batch)
                    .update());
            int done = deleted == null ? 0 : deleted;
            total += done;
            if (done < batch) {
                break;
            }
        }
        return total;
    }
}
