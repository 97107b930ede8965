package com.voiceledger.spendcap;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.jobs.JobFailures;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.stripe.FailedPayments;
import com.voiceledger.stripe.FailedPayments.FailedPayment;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dunning (issue #31, decision 0088): when Stripe reports an invoice's payment failed, the customer climbs a ladder
 * measured from that failure: a reminder after {@code reminder-after}, calls refused at admission with reason
 * {@code overdue} after {@code overdue-after}, the customer suspended after {@code suspend-after}. Each step is
 * audited and announced to the customer (its alert webhook and e-mail). A payment ends the case at the next tick
 * (every 30 s by default) and lifts what it imposed; finance can pause a customer's dunning, which lifts the
 * refusal and stops the climb until resumed.
 */
@Service
public class Dunning {

    public enum Step {
        FAILED, REMINDED, OVERDUE, SUSPENDED
    }

    /** A customer's case: the invoice it follows, since when its payment failed, where it stands. */
    public record Case(CustomerId customerId, String customer, long invoiceId, String invoiceNumber,
            Instant failedAt, Step step, Instant stepAt, boolean paused, @Nullable String pauseReason,
            @Nullable Step nextStep, @Nullable Instant nextStepAt) {
    }

    static final String ACTOR = "dunning";

    private final JdbcClient jdbc;
    private final FailedPayments failedPayments;
    private final CustomerService customers;
    private final InvoiceService invoices;
    private final SpendCaps spendCaps;
    private final Alerts alerts;
    private final AuditLog audit;
    private final JobFailures failures;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<Step, Duration> ladder = new LinkedHashMap<>();

    Dunning(JdbcClient jdbc, FailedPayments failedPayments, CustomerService customers, InvoiceService invoices,
            SpendCaps spendCaps, Alerts alerts, AuditLog audit, JobFailures failures,
            PlatformTransactionManager transactionManager, Clock clock,
            @Value("${voiceledger.dunning.reminder-after:3d}") Duration reminderAfter,
            @Value("${voiceledger.dunning.overdue-after:14d}") Duration overdueAfter,
            @Value("${voiceledger.dunning.suspend-after:30d}") Duration suspendAfter) {
        if (reminderAfter.isNegative() || overdueAfter.compareTo(reminderAfter) < 0
                || suspendAfter.compareTo(overdueAfter) < 0) {
            throw new IllegalArgumentException("voiceledger.dunning: reminder-after <= overdue-after <= suspend-after");
        }
        this.jdbc = jdbc;
        this.failedPayments = failedPayments;
        this.customers = customers;
        this.invoices = invoices;
        this.spendCaps = spendCaps;
        this.alerts = alerts;
        this.audit = audit;
        this.failures = failures;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        ladder.put(Step.REMINDED, reminderAfter);
        ladder.put(Step.OVERDUE, overdueAfter);
        ladder.put(Step.SUSPENDED, suspendAfter);
    }

    /** Opens, climbs and ends cases from Stripe's payment statuses; one customer's failure never stops the others. */
    @Scheduled(fixedDelayString = "${voiceledger.dunning.poll:30s}", initialDelayString = "${voiceledger.dunning.poll-start:20s}")
    public void tick() {
        Map<CustomerId, FailedPayment> oldestFailing = new LinkedHashMap<>();
        for (FailedPayment failed : failedPayments.failing()) {
            oldestFailing.putIfAbsent(failed.customerId(), failed);
        }
        for (FailedPayment failed : oldestFailing.values()) {
            failures.isolate(ACTOR, "customer " + failed.customerId(), () -> transactions.executeWithoutResult(
                    status -> climb(failed)));
        }
        for (long customerId : jdbc.sql("select customer_id from spendcap_dunning").query(Long.class).list()) {
            CustomerId id = CustomerId.of(customerId);
            if (!oldestFailing.containsKey(id)) {
                failures.isolate(ACTOR, "customer " + id, () -> transactions.executeWithoutResult(status -> end(id)));
            }
        }
    }

    private void climb(FailedPayment failed) {
        Customer customer = customers.get(failed.customerId());
        // the case row locked: instances ticking at once climb one after the other, each rung entered once
        Optional<Case> existing = caseOf(failed.customerId(), true);
        if (existing.isPresent() && existing.get().invoiceId() != failed.invoiceId()) {
            end(failed.customerId()); // the invoice it followed was paid; the next one starts its own case
            existing = Optional.empty();
        }
        Instant now = clock.instant();
        String number = number(failed.customerId(), failed.invoiceId());
        if (existing.isEmpty()) {
            int opened = jdbc.sql("""
                    insert into spendcap_dunning (customer_id, invoice_id, failed_at, step, step_at)
                    values (:customer, :invoice, :failedAt, 'FAILED', :now) on conflict (customer_id) do nothing
                    """)
                    .param("customer", failed.customerId().value()).param("invoice", failed.invoiceId())
                    .param("failedAt", Timestamp.from(failed.failedAt())).param("now", Timestamp.from(now)).update();
            if (opened == 1) {
                audit.record(ACTOR, "dunning started", "customer " + customer.externalId(),
                        "Stripe reported the payment of invoice " + number + " failed",
                        Map.of("invoice", failed.invoiceId()));
            }
            existing = caseOf(failed.customerId(), true);
        }
        Case current = existing.orElseThrow();
        if (current.paused()) {
            return;
        }
        Duration owed = Duration.between(current.failedAt(), now);
        Step step = current.step();
        for (Map.Entry<Step, Duration> rung : ladder.entrySet()) {
            if (rung.getKey().compareTo(step) > 0 && owed.compareTo(rung.getValue()) >= 0) {
                step = rung.getKey();
                enter(customer, current, step, number, owed, now);
            }
        }
    }

    private void enter(Customer customer, Case current, Step step, String number, Duration owed, Instant now) {
        boolean suspending = step == Step.SUSPENDED && !spendCaps.status(customer).suspended();
        jdbc.sql("""
                update spendcap_dunning set step = :step, step_at = :now, suspended_by_us = suspended_by_us or :suspending
                where customer_id = :customer
                """)
                .param("step", step.name()).param("now", Timestamp.from(now)).param("suspending", suspending)
                .param("customer", customer.id().value()).update();
        String message = switch (step) {
            case REMINDED -> "Reminder: the payment of invoice " + number + " failed " + owed.toDays()
                    + " days ago. Please update your payment method.";
            case OVERDUE -> "Invoice " + number + " is overdue (payment failed " + owed.toDays()
                    + " days ago): new calls are refused until it is paid.";
            case SUSPENDED -> "Invoice " + number + " is still unpaid after " + owed.toDays()
                    + " days: your account is suspended until it is paid.";
            case FAILED -> throw new IllegalStateException("not a rung");
        };
        if (suspending) {
            spendCaps.suspend(customer, true, "invoice " + number + " unpaid (dunning)", ACTOR);
        }
        audit.record(ACTOR, "dunning " + step.name().toLowerCase(), "customer " + customer.externalId(), message,
                Map.of("invoice", current.invoiceId(), "days", owed.toDays()));
        alerts.raise(customer.id(), YearMonth.from(current.failedAt().atZone(ZoneOffset.UTC)),
                "dunning_" + step.name().toLowerCase(), (int) current.invoiceId() % 1_000_000, message);
    }

    /** The case's invoice is paid (or no longer failing): the case ends and what it imposed is lifted. */
    private void end(CustomerId customerId) {
        Optional<Case> ended = caseOf(customerId);
        if (ended.isEmpty()) {
            return;
        }
        Customer customer = customers.get(customerId);
        boolean suspendedByUs = jdbc.sql("delete from spendcap_dunning where customer_id = :customer returning suspended_by_us")
                .param("customer", customerId.value()).query(Boolean.class).optional().orElse(false);
        if (suspendedByUs && spendCaps.status(customer).suspended()) {
            spendCaps.suspend(customer, false, "invoice " + ended.get().invoiceNumber() + " paid (dunning)", ACTOR);
        }
        audit.record(ACTOR, "dunning ended", "customer " + customer.externalId(),
                "the payment of invoice " + ended.get().invoiceNumber() + " no longer fails",
                Map.of("invoice", ended.get().invoiceId(), "step", ended.get().step().name()));
    }

    /** Why admission refuses this customer's calls: present while its case is overdue (or further) and not paused. */
    @Transactional(readOnly = true)
    Optional<Admission> refusal(Customer customer, @Nullable BigDecimal remaining, @Nullable String assistantId) {
        return caseOf(customer.id())
                .filter(c -> !c.paused() && c.step().compareTo(Step.OVERDUE) >= 0)
                .map(c -> Admission.refused("overdue", "invoice " + c.invoiceNumber() + " is overdue (payment failed "
                        + c.failedAt() + "): calls are refused until it is paid", remaining, customer.externalId(),
                        assistantId));
    }

    /** Every open case, the oldest failure first. */
    @Transactional(readOnly = true)
    public List<Case> cases() {
        return jdbc.sql("select customer_id from spendcap_dunning order by failed_at, customer_id")
                .query(Long.class).list().stream()
                .flatMap(id -> caseOf(CustomerId.of(id)).stream()).toList(); // one ended meanwhile is left out
    }

    /** Finance pauses (or resumes) a customer's dunning: paused, its calls are not refused and it does not climb. */
    @Transactional
    public Optional<Case> pause(Customer customer, boolean paused, @Nullable String reason, String actor) {
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a reason is required");
        }
        if (paused) {
            jdbc.sql("""
                    insert into spendcap_dunning_pause (customer_id, reason, paused_by, paused_at)
                    values (:customer, :reason, :actor, :now)
                    on conflict (customer_id) do update set reason = excluded.reason, paused_by = excluded.paused_by,
                        paused_at = excluded.paused_at
                    """)
                    .param("customer", customer.id().value()).param("reason", reason.strip()).param("actor", actor)
                    .param("now", Timestamp.from(clock.instant())).update();
            boolean suspendedByUs = jdbc.sql("""
                    select suspended_by_us from spendcap_dunning where customer_id = :customer for update
                    """).param("customer", customer.id().value()).query(Boolean.class).optional().orElse(false);
            jdbc.sql("update spendcap_dunning set suspended_by_us = false where customer_id = :customer")
                    .param("customer", customer.id().value()).update();
            if (suspendedByUs && spendCaps.status(customer).suspended()) {
                spendCaps.suspend(customer, false, "dunning paused: " + reason.strip(), actor);
            }
        } else {
            jdbc.sql("delete from spendcap_dunning_pause where customer_id = :customer")
                    .param("customer", customer.id().value()).update();
        }
        audit.record(actor, paused ? "dunning paused" : "dunning resumed", "customer " + customer.externalId(),
                reason.strip(), Map.of("paused", paused));
        return caseOf(customer.id());
    }

    /** Whether finance has paused this customer's dunning. */
    @Transactional(readOnly = true)
    public boolean paused(Customer customer) {
        return jdbc.sql("select count(*) from spendcap_dunning_pause where customer_id = :customer")
                .param("customer", customer.id().value()).query(Long.class).single() > 0;
    }

    private Optional<Case> caseOf(CustomerId customerId) {
        return caseOf(customerId, false);
    }

    private Optional<Case> caseOf(CustomerId customerId, boolean lock) {
        return jdbc.sql("""
                select d.invoice_id, d.failed_at, d.step, d.step_at, p.reason
                from spendcap_dunning d left join spendcap_dunning_pause p on p.customer_id = d.customer_id
                where d.customer_id = :customer
                """ + (lock ? " for update of d" : ""))
                .param("customer", customerId.value())
                .query((rs, row) -> {
                    Step step = Step.valueOf(rs.getString(3));
                    Instant failedAt = rs.getTimestamp(2).toInstant();
                    Step next = ladder.keySet().stream().filter(s -> s.compareTo(step) > 0).findFirst().orElse(null);
                    return new Case(customerId, customers.get(customerId).externalId(), rs.getLong(1),
                            number(customerId, rs.getLong(1)),
                            failedAt, step, rs.getTimestamp(4).toInstant(), rs.getString(5) != null, rs.getString(5),
                            next, next == null ? null : failedAt.plus(ladder.get(next)));
                })
                .optional();
    }

    private String number(CustomerId customerId, long invoiceId) {
        return invoices.get(customerId, invoiceId).number();
    }
}
