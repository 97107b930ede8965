package com.voiceledger.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.CreditNote;
import com.stripe.param.CreditNoteCreateParams;
import com.stripe.param.CreditNoteListParams;
import com.voiceledger.billing.CreditNoteIssued;
import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.Money;
import com.voiceledger.shared.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import com.voiceledger.jobs.JobFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pushes every credit note to Stripe as a Stripe credit note against the invoice it corrects (issue #31, decision
 * 0078), as invoices are pushed (decision 0032): queued in the issuing transaction, claimed by one instance or
 * request, created under the idempotency key {@code vl-credit-note-<id>} with our id in its metadata, its Stripe
 * id kept, and before creating anything Stripe's credit notes of that invoice are searched for ours, so a retry
 * at any time, also after Stripe forgot the key, creates nothing twice. A credit note whose invoice is not in
 * Stripe yet waits (PENDING) for it.
 */
@Service
public class StripeCreditNotes {

    private static final Logger log = LoggerFactory.getLogger(StripeCreditNotes.class);
    static final String CREDIT_NOTE_METADATA = "voiceledger_credit_note_id";
    /** How long a credit note waits before it looks again whether its invoice reached Stripe. */
    static final Duration WAIT_FOR_INVOICE = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final InvoiceService invoices;
    private final StripeProperties properties;
    private final Clock clock;

    private final JobFailures failures;

    StripeCreditNotes(JdbcClient jdbc, InvoiceService invoices, StripeProperties properties, Clock clock,
            JobFailures failures) {
        this.failures = failures;
        this.jdbc = jdbc;
        this.invoices = invoices;
        this.properties = properties;
        this.clock = clock;
    }

    /** Queues the push in the issuing transaction: an issued credit note is never forgotten. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(CreditNoteIssued issued) {
        jdbc.sql("""
                insert into stripe_credit_note_push (credit_note_id, invoice_id, customer_id, status, updated_at)
                values (:note, :invoice, :customer, 'PENDING', :now) on conflict do nothing
                """)
                .param("note", issued.creditNoteId()).param("invoice", issued.invoiceId())
                .param("customer", issued.customerId().value()).param("now", Timestamp.from(clock.instant()))
                .update();
    }

    public Optional<CreditNotePush> status(long creditNoteId) {
        return jdbc.sql(SELECT + " where credit_note_id = :id").param("id", creditNoteId).query((rs, row) -> push(rs))
                .optional();
    }

    /** Finance's push or retry; a pushed one is left as it is, one being pushed elsewhere is left to that push. */
    public CreditNotePush push(long creditNoteId) {
        CreditNotePush current = status(creditNoteId)
                .orElseThrow(() -> new NotFoundException("no credit note " + creditNoteId));
        if (current.status().equals("PUSHED")) {
            return current;
        }
        if (!properties.pushEnabled()) {
            throw new BadRequestException("Stripe is not configured (set STRIPE_API_KEY)");
        }
        int claimed = jdbc.sql("""
                update stripe_credit_note_push set claimed_until = :leaseEnd
                where credit_note_id = :id and status <> 'PUSHED' and (claimed_until is null or claimed_until < :now)
                """)
                .param("leaseEnd", Timestamp.from(clock.instant().plus(StripePushes.CLAIM_LEASE)))
                .param("now", Timestamp.from(clock.instant())).param("id", creditNoteId).update();
        return claimed == 0 ? status(creditNoteId).orElseThrow() : pushClaimed(creditNoteId);
    }

    /** Pushes queued credit notes, and failed ones again after their backoff, one instance each. */
    @Scheduled(fixedDelayString = "${voiceledger.stripe.push-poll:10s}", initialDelayString = "${voiceledger.stripe.push-poll-start:20s}")
    public void pushPending() {
        if (!properties.pushEnabled()) {
            return;
        }
        for (int pushed = 0; pushed < 100; pushed++) {
            Optional<Long> claimed = jdbc.sql("""
                    update stripe_credit_note_push set claimed_until = :leaseEnd where credit_note_id = (
                        select credit_note_id from stripe_credit_note_push
                        where ((status = 'PENDING' and (next_attempt_at is null or next_attempt_at <= :now))
                                or (status = 'FAILED' and attempts < :maxAttempts and next_attempt_at <= :now))
                            and (claimed_until is null or claimed_until < :now)
                        order by credit_note_id limit 1 for update skip locked)
                    returning credit_note_id
                    """)
                    .param("leaseEnd", Timestamp.from(clock.instant().plus(StripePushes.CLAIM_LEASE)))
                    .param("maxAttempts", StripePushes.MAX_SCHEDULED_ATTEMPTS)
                    .param("now", Timestamp.from(clock.instant())).query(Long.class).optional();
            if (claimed.isEmpty()) {
                return;
            }
            // one that throws before its outcome is recorded keeps its claim until the lease ends; the others go on
            long creditNoteId = claimed.get();
            failures.isolate("stripe credit notes", "credit note " + creditNoteId, () -> pushClaimed(creditNoteId));
        }
    }

    private CreditNotePush pushClaimed(long creditNoteId) {
        CreditNotePush push = status(creditNoteId).orElseThrow();
        Optional<String> stripeInvoice = jdbc.sql("select stripe_invoice_id from stripe_invoice_push "
                        + "where invoice_id = :id and status = 'PUSHED'")
                .param("id", push.invoiceId()).query(String.class).optional();
        if (stripeInvoice.isEmpty()) {
            // Stripe credits only an invoice it has: wait for the invoice's push (no attempt spent)
            jdbc.sql("""
                    update stripe_credit_note_push set error = :error, next_attempt_at = :next, updated_at = :now,
                        claimed_until = null where credit_note_id = :id and status <> 'PUSHED'
                    """)
                    .param("error", "waits for invoice " + push.invoiceId() + " to be pushed to Stripe")
                    .param("next", Timestamp.from(clock.instant().plus(WAIT_FOR_INVOICE)))
                    .param("now", Timestamp.from(clock.instant())).param("id", creditNoteId).update();
            return status(creditNoteId).orElseThrow();
        }
        try {
            String stripeId = pushToStripe(creditNoteId, CustomerId.of(customerOf(creditNoteId)), stripeInvoice.get());
            jdbc.sql("""
                    update stripe_credit_note_push set status = 'PUSHED', stripe_credit_note_id = :stripeId, error = null,
                        attempts = attempts + 1, updated_at = :now, claimed_until = null where credit_note_id = :id
                    """)
                    .param("stripeId", stripeId).param("now", Timestamp.from(clock.instant())).param("id", creditNoteId)
                    .update();
        } catch (StripeException | RuntimeException e) {
            log.warn("Stripe push of credit note {} failed", creditNoteId, e);
            // never backwards: a push another request finished in between stays PUSHED
            jdbc.sql("""
                    update stripe_credit_note_push set status = case when status = 'PUSHED' then status else 'FAILED' end,
                        error = case when status = 'PUSHED' then error else :error end, attempts = attempts + 1,
                        next_attempt_at = :next, updated_at = :now, claimed_until = null where credit_note_id = :id
                    """)
                    .param("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .param("next", Timestamp.from(clock.instant().plus(StripePushes.backoff(push.attempts()))))
                    .param("now", Timestamp.from(clock.instant())).param("id", creditNoteId).update();
        }
        return status(creditNoteId).orElseThrow();
    }

    /** Finds the Stripe credit note an earlier attempt made, else creates it; returns its Stripe id. */
    private String pushToStripe(long creditNoteId, CustomerId customer, String stripeInvoice) throws StripeException {
        StripeClient stripe = StripePushes.client(properties);
        for (CreditNote existing : stripe.v1().creditNotes()
                .list(CreditNoteListParams.builder().setInvoice(stripeInvoice).setLimit(100L).build())
                .autoPagingIterable()) {
            if (existing.getMetadata() != null
                    && Long.toString(creditNoteId).equals(existing.getMetadata().get(CREDIT_NOTE_METADATA))) {
                return existing.getId();
            }
        }
        Invoice note = invoices.get(customer, creditNoteId);
        long amount = Money.minorUnits(note.total().negate(), note.currency());
        CreditNote created = stripe.v1().creditNotes().create(CreditNoteCreateParams.builder()
                .setInvoice(stripeInvoice)
                .addLine(CreditNoteCreateParams.Line.builder()
                        .setType(CreditNoteCreateParams.Line.Type.CUSTOM_LINE_ITEM)
                        .setDescription(note.lines().getFirst().description())
                        .setQuantity(1L)
                        .setUnitAmount(amount)
                        .build())
                .setMemo("VoiceLedger " + note.number())
                .putMetadata(CREDIT_NOTE_METADATA, Long.toString(creditNoteId))
                .putMetadata("voiceledger_credit_note_number", note.number())
                .build(), StripePushes.idempotency("vl-credit-note-" + creditNoteId));
        return created.getId();
    }

    private long customerOf(long creditNoteId) {
        return jdbc.sql("select customer_id from stripe_credit_note_push where credit_note_id = :id")
                .param("id", creditNoteId).query(Long.class).single();
    }

    public List<CreditNotePush> failed() {
        return jdbc.sql(SELECT + " where status = 'FAILED' order by updated_at desc").query((rs, row) -> push(rs)).list();
    }

    private static final String SELECT = """
            select credit_note_id, invoice_id, status, stripe_credit_note_id, attempts, error, updated_at
            from stripe_credit_note_push""";

    private static CreditNotePush push(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new CreditNotePush(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getString(6), rs.getTimestamp(7).toInstant());
    }
}
