package com.voiceledger.stripe;

import com.voiceledger.shared.CustomerId;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pushed invoices whose payment Stripe last reported as failed (and not paid since), for dunning: what is owed
 * and since when Stripe says so.
 */
@Service
public class FailedPayments {

    /** An invoice whose latest payment event from Stripe is {@code invoice.payment_failed}, made at {@code failedAt}. */
    public record FailedPayment(CustomerId customerId, long invoiceId, Instant failedAt) {
    }

    private final JdbcClient jdbc;

    FailedPayments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every invoice failing now, oldest failure first. */
    @Transactional(readOnly = true)
    public List<FailedPayment> failing() {
        return jdbc.sql("""
                select customer_id, invoice_id, payment_status_at from stripe_invoice_push
                where payment_status = 'PAYMENT_FAILED' order by payment_status_at, invoice_id
                """)
                .query((rs, row) -> new FailedPayment(CustomerId.of(rs.getLong(1)), rs.getLong(2),
                        rs.getTimestamp(3).toInstant()))
                .list();
    }
}
