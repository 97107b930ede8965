package com.voiceledger.spendcap;

import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceDocuments;
import com.voiceledger.billing.InvoiceFinalized;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.shared.CustomerId;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import com.voiceledger.jobs.JobFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells the customer its invoice is final: a signed {@code invoice.finalized} event to its alert
 * webhook (the same signature as alerts) and an e-mail where configured. The notice is written in
 * the finalizing transaction (one per invoice: its key), and delivered by whichever instance claims
 * it: the claim moves {@code next_attempt_at} past the delivery's timeout under
 * {@code for update skip locked}, so two instances never send the same notice.
 */
@Service
public class InvoiceNotices {

    private static final Logger log = LoggerFactory.getLogger(InvoiceNotices.class);
    static final int MAX_ATTEMPTS = 8;
    /** Longer than a webhook post (10 s) and a mail: a claimed notice is not taken again meanwhile. */
    static final Duration CLAIM = Duration.ofMinutes(2);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final InvoiceService invoices;
    private final InvoiceDocuments documents;
    private final Alerts alerts;
    private final Clock clock;
    private final ObjectProvider<JavaMailSender> mail;
    private final String mailFrom;
    private final TransactionTemplate transactions;

    static final String JOB = "invoice notices";

    private final JobFailures failures;

    InvoiceNotices(JdbcClient jdbc, JsonMapper json, InvoiceService invoices, Alerts alerts, Clock clock,
            ObjectProvider<JavaMailSender> mail, PlatformTransactionManager transactionManager,
            @Value("${voiceledger.alerts.mail-from:alerts@voiceledger.invalid}") String mailFrom,
            InvoiceDocuments documents, JobFailures failures) {
        this.failures = failures;
        this.documents = documents;
        this.jdbc = jdbc;
        this.json = json;
        this.invoices = invoices;
        this.alerts = alerts;
        this.clock = clock;
        this.mail = mail;
        this.mailFrom = mailFrom;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Writes the notice in the finalizing transaction: a final invoice is announced once, never lost. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(InvoiceFinalized finalized) {
        record Channels(boolean webhook, boolean email) {
        }
        Channels channels = jdbc.sql("""
                select alert_webhook_url is not null, alert_email is not null from spendcap_setting
                where customer_id = :id
                """).param("id", finalized.customerId().value())
                .query((rs, row) -> new Channels(rs.getBoolean(1), rs.getBoolean(2))).optional()
                .orElse(new Channels(false, false));
        if (!channels.webhook() && !channels.email()) {
            return;
        }
        Invoice invoice = invoices.get(finalized.customerId(), finalized.invoiceId());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("invoiceId", invoice.id());
        data.put("number", invoice.number());
        data.put("month", invoice.month().toString());
        data.put("status", invoice.status());
        data.put("currency", invoice.currency());
        data.put("subtotal", invoice.subtotal().toPlainString());
        data.put("credits", invoice.credits().toPlainString());
        data.put("total", invoice.total().toPlainString());
        data.put("finalizedAt", String.valueOf(invoice.finalizedAt()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "evt_invoice_" + invoice.id() + "_finalized");
        body.put("type", "invoice.finalized");
        body.put("createdAt", clock.instant().toString());
        body.put("data", data);
        Instant now = clock.instant();
        jdbc.sql("""
                insert into spendcap_invoice_notice (invoice_id, customer_id, payload, webhook_status, email_status,
                    next_attempt_at, created_at)
                values (:invoice, :customer, :payload, :webhook, :email, :now, :now)
                on conflict (invoice_id) do nothing
                """)
                .param("invoice", invoice.id())
                .param("customer", finalized.customerId().value())
                .param("payload", json.writeValueAsString(body))
                .param("webhook", channels.webhook() ? "PENDING" : "NONE")
                .param("email", channels.email() ? "PENDING" : "NONE")
                .param("now", Timestamp.from(now))
                .update();
    }

    record Due(UUID claim, CustomerId customerId, long invoiceId, String payload, String webhookStatus, int webhookAttempts, String emailStatus,
            int emailAttempts, @Nullable String url, @Nullable String secret, @Nullable String email) {
    }

    /**
     * Delivers due notices: claimed first (a token of this round's own), then each one's lease renewed just
     * before it is sent, then recorded, both only while the claim is still this round's. A batch of slow
     * receivers can outlast the first lease; the notices another instance claimed meanwhile are skipped here,
     * never sent twice (a failure waits 2^attempts × 30 s).
     */
    @Scheduled(fixedDelayString = "${voiceledger.alerts.delivery-poll:15s}",
            initialDelayString = "${voiceledger.alerts.delivery-poll-start:30s}")
    public void deliverDue() {
        UUID claim = UUID.randomUUID();
        // sent oldest first: the order the claim chose them in (an update's returning order is arbitrary)
        List<Due> claimed = transactions.execute(status -> jdbc.sql("""
                with claimed as (
                    update spendcap_invoice_notice n set next_attempt_at = :claimedUntil, claim_token = :claim
                    from spendcap_setting s
                    where s.customer_id = n.customer_id and n.invoice_id in (
                        select invoice_id from spendcap_invoice_notice
                        where (webhook_status = 'PENDING' or email_status = 'PENDING') and next_attempt_at <= :now
                        order by next_attempt_at limit 20 for update skip locked)
                    returning n.invoice_id, n.payload, n.webhook_status, n.webhook_attempts, n.email_status,
                        n.email_attempts, s.alert_webhook_url, s.alert_webhook_secret, s.alert_email, n.created_at,
                        n.customer_id)
                select * from claimed order by created_at, invoice_id
                """)
                .param("now", Timestamp.from(clock.instant()))
                .param("claimedUntil", Timestamp.from(clock.instant().plus(CLAIM)))
                .param("claim", claim)
                .query((rs, row) -> new Due(claim, CustomerId.of(rs.getLong("customer_id")), rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9)))
                .list());
        for (Due due : claimed) {
            if (renewLease(due)) {
                // a notice that throws (its data, a bug) keeps its claim until the lease ends, then is tried
                // again; the notices after it in this round are still sent
                failures.isolate(JOB, "notice of invoice " + due.invoiceId(), () -> deliver(due));
            } else {
                log.info("The notice of invoice {} was claimed by another instance after this one's lease ran out; "
                        + "left to it", due.invoiceId());
            }
        }
    }

    /** True while the claim is still this round's: its lease then runs for one more {@link #CLAIM}. */
    private boolean renewLease(Due due) {
        return jdbc.sql("""
                update spendcap_invoice_notice set next_attempt_at = :claimedUntil
                where invoice_id = :id and claim_token = :claim
                """)
                .param("claimedUntil", Timestamp.from(clock.instant().plus(CLAIM)))
                .param("id", due.invoiceId())
                .param("claim", due.claim())
                .update() == 1;
    }

    private void deliver(Due due) {
        String webhookStatus = due.webhookStatus();
        int webhookAttempts = due.webhookAttempts();
        String webhookError = null;
        if (webhookStatus.equals("PENDING")) {
            webhookError = due.url() == null ? "no webhook configured any more"
                    : alerts.post(due.url(), due.secret() == null ? "" : due.secret(), due.payload());
            webhookAttempts++;
            webhookStatus = webhookError == null ? "DELIVERED" : webhookAttempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING";
        }
        String emailStatus = due.emailStatus();
        int emailAttempts = due.emailAttempts();
        String emailError = null;
        JavaMailSender sender = mail.getIfAvailable();
        if (emailStatus.equals("PENDING") && sender != null && due.email() != null) {
            try {
                sender.send(mail(sender, due));
                emailStatus = "SENT";
            } catch (RuntimeException e) {
                emailError = e.getClass().getSimpleName() + ": " + e.getMessage();
                emailStatus = emailAttempts + 1 >= MAX_ATTEMPTS ? "FAILED" : "PENDING";
                log.warn("Mailing the notice of invoice {} failed: {}", due.invoiceId(), emailError);
            }
            emailAttempts++;
        } else if (emailStatus.equals("PENDING") && due.email() == null) {
            emailStatus = "NONE";
        }
        int attempts = Math.max(webhookAttempts, emailAttempts);
        int recorded = jdbc.sql("""
                update spendcap_invoice_notice set webhook_status = :webhookStatus, webhook_attempts = :webhookAttempts,
                    webhook_error = :webhookError, email_status = :emailStatus, email_attempts = :emailAttempts,
                    email_error = :emailError, next_attempt_at = :next, claim_token = null
                where invoice_id = :id and claim_token = :claim
                """)
                .param("webhookStatus", webhookStatus)
                .param("webhookAttempts", webhookAttempts)
                .param("webhookError", webhookError)
                .param("emailStatus", emailStatus)
                .param("emailAttempts", emailAttempts)
                .param("emailError", emailError)
                .param("next", Timestamp.from(clock.instant().plusSeconds(30L << Math.min(attempts, 10))))
                .param("id", due.invoiceId())
                .param("claim", due.claim())
                .update();
        if (recorded == 0) {
            // cannot happen while a single send is shorter than the lease; said loudly if it ever does
            log.warn("The notice of invoice {} was sent after its claim had passed to another instance", due.invoiceId());
        }
    }

    /**
     * The e-mail: what the invoice comes to, and the invoice itself as the PDF a finance team files (the same bytes
     * as the portal's download).
     */
    private MimeMessage mail(JavaMailSender sender, Due due) {
        Map<?, ?> data = (Map<?, ?>) json.readValue(due.payload(), Map.class).get("data");
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
            helper.setFrom(mailFrom);
            helper.setTo(due.email());
            helper.setSubject("VoiceLedger invoice " + data.get("number") + " is final");
            helper.setText("Your invoice " + data.get("number") + " for " + data.get("month") + " is final: "
                    + data.get("total") + " " + data.get("currency") + ".\n\nThe invoice is attached as a PDF; every line "
                    + "and the calls behind it are under Invoices in VoiceLedger.");
            InvoiceDocuments.Pdf pdf = documents.pdf(due.customerId(), due.invoiceId());
            helper.addAttachment(pdf.number().replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf",
                    new ByteArrayResource(pdf.bytes()), "application/pdf");
            return message;
        } catch (MessagingException e) {
            throw new MailPreparationException("could not compose the notice of invoice " + due.invoiceId(), e);
        }
    }

    /** How a notice stands, for finance and tests: webhook and e-mail status. */
    public @Nullable String status(long invoiceId) {
        return jdbc.sql("select webhook_status || '/' || email_status from spendcap_invoice_notice where invoice_id = :id")
                .param("id", invoiceId).query(String.class).optional().orElse(null);
    }
}
