package com.voiceledger.revenue.internal;

import com.voiceledger.revenue.Category;
import com.voiceledger.revenue.Entry;
import com.voiceledger.shared.CustomerId;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The month locks and the entries stored with them. Entries are written once and never changed. */
@org.springframework.stereotype.Component
public class LockStore {

    private final JdbcClient jdbc;

    LockStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks are taken one at a time: the second waits, then sees the first's lock. */
    public void serialize() {
        jdbc.sql("lock table revenue_period_lock in exclusive mode").update();
    }

    public Optional<YearMonth> lockedThrough() {
        return jdbc.sql("select max(month) from revenue_period_lock")
                .query((rs, row) -> rs.getDate(1) == null ? null : YearMonth.from(rs.getDate(1).toLocalDate()))
                .optional();
    }

    /** Every stored entry (one row per document and category of the locked months). */
    public List<Entry> entries() {
        return jdbc.sql("""
                select month, document_id, number, customer_id, currency, category, amount, billed_month
                from revenue_locked_entry
                """)
                .query((rs, row) -> new Entry(YearMonth.from(rs.getDate(1).toLocalDate()), rs.getLong(2),
                        rs.getString(3), CustomerId.of(rs.getLong(4)), rs.getString(5),
                        Category.valueOf(rs.getString(6)), rs.getBigDecimal(7),
                        YearMonth.from(rs.getDate(8).toLocalDate())))
                .list();
    }

    public void lock(YearMonth month, List<Entry> entries, Instant at, String actor, String reason) {
        for (Entry entry : entries) {
            jdbc.sql("""
                    insert into revenue_locked_entry (month, document_id, number, customer_id, currency, category,
                        amount, billed_month)
                    values (:month, :document, :number, :customer, :currency, :category, :amount, :billed)
                    """)
                    .param("month", Date.valueOf(entry.month().atDay(1)))
                    .param("document", entry.documentId())
                    .param("number", entry.number())
                    .param("customer", entry.customer().value())
                    .param("currency", entry.currency())
                    .param("category", entry.category().name())
                    .param("amount", entry.amount())
                    .param("billed", Date.valueOf(entry.billedMonth().atDay(1)))
                    .update();
        }
        jdbc.sql("insert into revenue_period_lock (month, locked_at, locked_by, reason) values (:month, :at, :by, :reason)")
                .param("month", Date.valueOf(month.atDay(1)))
                .param("at", Timestamp.from(at))
                .param("by", actor)
                .param("reason", reason)
                .update();
    }
}
