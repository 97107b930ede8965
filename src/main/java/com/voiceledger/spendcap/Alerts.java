package com.voiceledger.spendcap;

import com.voiceledger.jobs.JobFailures;
import com.voiceledger.shared.CustomerId;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alerts for customers and finance: raised once per customer, month, kind and threshold (the unique
 * key makes "once" hold under concurrency), shown in the portal and the console, and delivered to
 * the customer's webhook as signed JSON ({@code X-VoiceLedger-Signature: t=<unix>,v1=<hex HMAC-SHA256
 * of "t.body">}), retried with exponential backoff.
 */
@Service
public class Alerts {

    static final int MAX_ATTEMPTS = 8;
    /** How many due alerts a round claims: sent one after another, each within the webhook timeout. */
    static final int CLAIM_BATCH = 10;
    /**
     * How long a claim keeps other instances off an alert. Longer than a round can take
     * ({@link #CLAIM_BATCH} × the outbound timeouts); if the instance dies, the alert is due again after it.
     */
    static final Duration CLAIM_LEASE = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final ObjectProvider<JavaMailSender> mail;
    private final String mailFrom;
    private final AlertWebhookClient webhooks;
    private final JobFailures failures;
    /** Who made an attempt (kept with it): this process and this application context. */
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/"
            + UUID.randomUUID().toString().substring(0, 8);

    Alerts(JdbcClient jdbc, JsonMapper json, Clock clock, ObjectProvider<JavaMailSender> mail,
            @Value("${voiceledger.alerts.mail-from:alerts@voiceledger.invalid}") String mailFrom,
            @Value("${voiceledger.alerts.webhook-timeout:5s}") Duration webhookTimeout, OutboundUrlPolicy outbound,
            JobFailures failures) {
        this.failures = failures;
        this.webhooks = new AlertWebhookClient(outbound, webhookTimeout);
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.mail = mail;
        this.mailFrom = mailFrom;
    }

    /** Raises an alert unless the same one was raised this month; true when it is new. */
    @Transactional
    public boolean raise(CustomerId customer, YearMonth month, String kind, int threshold, String message) {
        return raise(customer, month, kind, threshold, message, false);
    }

    /**
     * Raises an alert for finance only (margins): never listed to the customer nor sent to its webhook.
     */
    @Transactional
    public boolean raiseInternal(CustomerId customer, YearMonth month, String kind, int threshold, String message) {
        return raise(customer, month, kind, threshold, message, true);
    }

    private boolean raise(CustomerId customer, YearMonth month, String kind, int threshold, String message,
            boolean internal) {
        boolean webhook = !internal && jdbc.sql("select alert_webhook_url is not null from spendcap_setting "
                        + "where customer_id = :id")
                .param("id", customer.value()).query(Boolean.class).optional().orElse(false);
        boolean email = !internal && jdbc.sql("select alert_email is not null from spendcap_setting where customer_id = :id")
                .param("id", customer.value()).query(Boolean.class).optional().orElse(false);
        Instant now = clock.instant();
        return jdbc.sql("""
                insert into spendcap_alert (customer_id, month, kind, threshold, message, created_at, delivery_status,
                    next_attempt_at, internal, email_status)
                values (:customer, :month, :kind, :threshold, :message, :now, :status, :now, :internal, :email)
                on conflict (customer_id, month, kind, threshold) do nothing
                """)
                .param("customer", customer.value())
                .param("month", Date.valueOf(month.atDay(1)))
                .param("kind", kind)
                .param("threshold", threshold)
                .param("message", message)
                .param("now", Timestamp.from(now))
                .param("status", webhook ? "PENDING" : "NONE")
                .param("internal", internal)
                .param("email", email ? "PENDING" : "NONE")
                .update() == 1;
    }

    /** A customer's own alerts (finance-only ones left out). */
    @Transactional(readOnly = true)
    public List<Alert> of(CustomerId customer, int limit) {
        return jdbc.sql(SELECT + " where customer_id = :id and not internal order by created_at desc, id desc limit :limit")
                .param("id", customer.value()).param("limit", limit).query((rs, row) -> alert(rs)).list();
    }

    @Transactional(readOnly = true)
    public List<Alert> recent(int limit) {
        return jdbc.sql(SELECT + " order by created_at desc, id desc limit :limit").param("limit", limit)
                .query((rs, row) -> alert(rs)).list();
    }

    /** How many alerts (caps, guards, margins; finance-only ones included) were raised for a month. */
    @Transactional(readOnly = true)
    public long countFor(YearMonth month) {
        return jdbc.sql("select count(*) from spendcap_alert where month = :month")
                .param("month", Date.valueOf(month.atDay(1))).query(Long.class).single();
    }

    /**
     * Delivers due alerts to customers' webhooks; a failure waits 2^attempts × 30 s before the next try.
     * Each round first claims what it sends (see {@link #claim}), so with several instances every alert
     * is posted by one of them.
     */
    @Scheduled(fixedDelayString = "${voiceledger.alerts.delivery-poll:15s}", initialDelayString = "${voiceledger.alerts.delivery-poll-start:30s}")
    public void deliverDue() {
        List<DueWebhook> due = jdbc.sql("""
                update spendcap_alert a set next_attempt_at = :leaseEnd
                from spendcap_setting s
                where s.customer_id = a.customer_id and a.id in (
                    select a2.id from spendcap_alert a2 join spendcap_setting s2 on s2.customer_id = a2.customer_id
                    where a2.delivery_status = 'PENDING' and a2.next_attempt_at <= :now and s2.alert_webhook_url is not null
                    order by a2.next_attempt_at limit :batch for update of a2 skip locked)
                returning a.id, a.customer_id, a.kind, a.threshold, a.message, a.created_at, a.month,
                    s.alert_webhook_url, s.alert_webhook_secret, a.delivery_attempts
                """)
                .param("now", Timestamp.from(clock.instant()))
                .param("leaseEnd", Timestamp.from(clock.instant().plus(CLAIM_LEASE)))
                .param("batch", CLAIM_BATCH)
                .query((rs, row) -> new DueWebhook(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                        rs.getTimestamp(6).toInstant(), YearMonth.from(rs.getDate(7).toLocalDate()), rs.getString(8),
                        rs.getString(9), rs.getInt(10)))
                .list();
        for (DueWebhook alert : due) {
            // one alert that throws keeps its lease and is tried after it; the others in the round are sent
            failures.isolate("alert webhooks", "alert " + alert.id(), () -> deliver(alert));
        }
    }

    /** An alert claimed for its webhook, with where to send it. */
    private record DueWebhook(long id, long customerId, String kind, int threshold, String message, Instant createdAt,
            YearMonth month, String url, String secret, int attempts) {
    }

    private void deliver(DueWebhook alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", alert.id());
        body.put("kind", alert.kind());
        body.put("threshold", alert.threshold());
        body.put("month", alert.month().toString());
        body.put("message", alert.message());
        body.put("createdAt", alert.createdAt().toString());
        String error = post(alert.url(), alert.secret(), json.writeValueAsString(body));
        int attempts = alert.attempts() + 1;
        String status = error == null ? "DELIVERED" : attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING";
        jdbc.sql("""
                update spendcap_alert set delivery_status = :status, delivery_attempts = :attempts,
                    delivery_error = :error, next_attempt_at = :next where id = :id
                """)
                .param("status", status)
                .param("attempts", attempts)
                .param("error", error)
                .param("next", Timestamp.from(clock.instant().plus(backoff(attempts))))
                .param("id", alert.id())
                .update();
        recordAttempt(alert.id(), "WEBHOOK", attempts, error, status);
    }

    /**
     * Mails due alerts when SMTP is configured ({@code spring.mail.host}); a failure waits 2^attempts × 30 s,
     * up to {@link #MAX_ATTEMPTS}. Claimed like webhook deliveries: one instance mails each alert.
     */
    @Scheduled(fixedDelayString = "${voiceledger.alerts.delivery-poll:15s}", initialDelayString = "${voiceledger.alerts.delivery-poll-start:30s}")
    public void mailDue() {
        JavaMailSender sender = mail.getIfAvailable();
        if (sender == null) {
            return;
        }
        record Due(long id, String kind, String message, String to, int attempts) {
        }
        List<Due> due = jdbc.sql("""
                update spendcap_alert a set email_next_attempt_at = :leaseEnd
                from spendcap_setting s
                where s.customer_id = a.customer_id and a.id in (
                    select a2.id from spendcap_alert a2 join spendcap_setting s2 on s2.customer_id = a2.customer_id
                    where a2.email_status = 'PENDING' and coalesce(a2.email_next_attempt_at, a2.created_at) <= :now
                        and s2.alert_email is not null
                    order by a2.email_next_attempt_at nulls first, a2.id limit :batch for update of a2 skip locked)
                returning a.id, a.kind, a.message, s.alert_email, a.email_attempts
                """)
                .param("now", Timestamp.from(clock.instant()))
                .param("leaseEnd", Timestamp.from(clock.instant().plus(CLAIM_LEASE)))
                .param("batch", CLAIM_BATCH)
                .query((rs, row) -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)))
                .list();
        for (Due alert : due) {
            failures.isolate("alert e-mails", "alert " + alert.id(), () -> {
                String error = null;
                try {
                    SimpleMailMessage message = new SimpleMailMessage();
                    message.setFrom(mailFrom);
                    message.setTo(alert.to());
                    message.setSubject("VoiceLedger alert: " + alert.kind().toLowerCase().replace('_', ' '));
                    message.setText(alert.message() + "\n\nSee it in VoiceLedger under Spend & cost guards.");
                    sender.send(message);
                } catch (RuntimeException e) {
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                int attempts = alert.attempts() + 1;
                String status = error == null ? "SENT" : attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING";
                jdbc.sql("""
                        update spendcap_alert set email_status = :status, email_attempts = :attempts, email_error = :error,
                            email_next_attempt_at = :next where id = :id
                        """)
                        .param("status", status).param("attempts", attempts).param("error", error)
                        .param("next", Timestamp.from(clock.instant().plus(backoff(attempts))))
                        .param("id", alert.id()).update();
                recordAttempt(alert.id(), "EMAIL", attempts, error, status);
            });
        }
    }

    /** 30 s, 1 min, 2 min, … doubling per failed attempt, at most 2^10 × 30 s (8.5 h). */
    static Duration backoff(int failedAttempts) {
        return Duration.ofSeconds(30L << Math.min(failedAttempts, 10));
    }

    /** Keeps the attempt (append-only) and logs a failure, so a customer's "we never got it" has an answer. */
    private void recordAttempt(long alertId, String channel, int attempt, @Nullable String error, String status) {
        jdbc.sql("""
                insert into spendcap_alert_attempt (alert_id, channel, attempt, attempted_at, instance, error)
                values (:alert, :channel, :attempt, :now, :instance, :error)
                """)
                .param("alert", alertId).param("channel", channel).param("attempt", attempt)
                .param("now", Timestamp.from(clock.instant())).param("instance", instance).param("error", error)
                .update();
        if (error != null) {
            log.warn("Alert {} {} attempt {} failed ({}): {}", alertId, channel.toLowerCase(), attempt,
                    status.equals("FAILED") ? "giving up" : "will retry", error);
        }
    }

    /** Attempts made to deliver an alert, oldest first: "WEBHOOK 1 instance error-or-ok". */
    @Transactional(readOnly = true)
    public List<String> attempts(long alertId) {
        return jdbc.sql("""
                select channel || ' ' || attempt || ' ' || instance || ' ' || coalesce(error, 'ok')
                from spendcap_alert_attempt where alert_id = :id order by id
                """).param("id", alertId).query(String.class).list();
    }

    /**
     * Posts a signed alert; the error, or null when the receiver answered 2xx. The error is shown to
     * the customer, so it says what happened in general words and never carries exception text.
     */
    @Nullable String post(String url, String secret, String body) {
        long timestamp = clock.instant().getEpochSecond();
        String signature = "t=" + timestamp + ",v1=" + sign(secret, timestamp, body);
        return webhooks.post(url, Map.of("X-VoiceLedger-Signature", signature), body);
    }

    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String SELECT = """
            select id, customer_id, month, kind, threshold, message, created_at, delivery_status, delivery_attempts,
                delivery_error from spendcap_alert""";

    private static Alert alert(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Alert(rs.getLong(1), rs.getLong(2), YearMonth.from(rs.getDate(3).toLocalDate()), rs.getString(4),
                rs.getInt(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getInt(9),
                rs.getString(10));
    }
}
