package com.voiceledger.stripe;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The payment status of pushed invoices, from Stripe's {@code invoice.paid} and
 * {@code invoice.payment_failed} events. Stripe does not deliver events in order, so each is applied by
 * the time Stripe made it ({@code created}): an older event never overwrites what a newer one said, and
 * of two made in the same second PAID wins (a payment failure before a payment is the usual story). An
 * event for an invoice not linked yet (its push still running) is kept and applied when the push links it.
 */
@Component
class PaymentStatuses {

    private final JdbcClient jdbc;
    private final Clock clock;

    PaymentStatuses(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    enum Outcome {
        RECORDED, OLDER_THAN_SHOWN, WAITING_FOR_INVOICE
    }

    /** Applies a stored event; marks it applied unless its invoice is not linked yet. */
    @Transactional
    Outcome apply(String eventId, String stripeInvoiceId, String paymentStatus, Instant created) {
        boolean linked = jdbc.sql("select count(*) from stripe_invoice_push where stripe_invoice_id = :stripeId")
                .param("stripeId", stripeInvoiceId).query(Long.class).single() > 0;
        if (!linked) {
            return Outcome.WAITING_FOR_INVOICE;
        }
        int updated = jdbc.sql("""
                update stripe_invoice_push set payment_status = :status, payment_status_at = :created, updated_at = :now
                where stripe_invoice_id = :stripeId and (payment_status_at is null or payment_status_at < :created
                    or (payment_status_at = :created and :status = 'PAID'))
                """)
                .param("status", paymentStatus).param("created", Timestamp.from(created))
                .param("now", Timestamp.from(clock.instant())).param("stripeId", stripeInvoiceId).update();
        jdbc.sql("update stripe_event set applied = true where id = :id").param("id", eventId).update();
        return updated == 1 ? Outcome.RECORDED : Outcome.OLDER_THAN_SHOWN;
    }

    /** Applies, oldest first, the events that waited for this Stripe invoice to be linked. */
    @Transactional
    void applyWaiting(String stripeInvoiceId) {
        record Waiting(String id, String type, Instant created) {
        }
        List<Waiting> waiting = jdbc.sql("""
                select id, type, stripe_created from stripe_event where stripe_invoice_id = :stripeId and not applied
                order by stripe_created, id for update skip locked
                """)
                .param("stripeId", stripeInvoiceId)
                .query((rs, row) -> new Waiting(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant())).list();
        for (Waiting event : waiting) {
            apply(event.id(), stripeInvoiceId, statusOf(event.type()), event.created());
        }
    }

    /** The sweep that closes the gap between an event stored and its invoice linked at the same moment. */
    @Transactional
    void applyWaiting() {
        for (String stripeInvoiceId : jdbc.sql("""
                select distinct e.stripe_invoice_id from stripe_event e
                join stripe_invoice_push p on p.stripe_invoice_id = e.stripe_invoice_id where not e.applied
                """).query(String.class).list()) {
            applyWaiting(stripeInvoiceId);
        }
    }

    /** PAID or PAYMENT_FAILED for the event types that set a payment status; null for others. */
    static String statusOf(String eventType) {
        return switch (eventType) {
            case "invoice.paid" -> "PAID";
            case "invoice.payment_failed" -> "PAYMENT_FAILED";
            default -> null;
        };
    }
}
