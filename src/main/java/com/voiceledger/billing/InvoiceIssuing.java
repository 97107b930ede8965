package com.voiceledger.billing;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractService;
import com.voiceledger.shared.ConflictException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.rating.BillableCharges;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issues invoices on time (BILLING-RULES §5, docs/decisions/0036-invoices-issue-themselves.md). At
 * 00:00 on the 1st in the customer's billing time zone the month that ended becomes a DRAFT, kept
 * current by late calls during the grace period; when the grace period ends the tick finalizes it
 * (numbered, immutable; Stripe and the customer are told through {@link InvoiceFinalized}), unless
 * finance holds the customer or the draft holds calls not priced yet: then it is HELD with the reason.
 *
 * <p>Several instances may tick at once: a draft is made once (unique per customer-month), and each
 * due invoice is taken with {@code for update skip locked} in the transaction that finalizes it, so
 * exactly one instance finalizes it. A tick missed while no instance ran is caught up by the next
 * (the first runs seconds after start): every month that ended since is drafted, and every draft
 * whose grace ended is finalized.
 *
 * <p>In whatever order events come (issue 24, decision 0061): a draft's grace runs from the later of its
 * month's end and the moment the draft was made (a month drafted late still waits a full grace period);
 * every month from the start of the customer's first contract has its invoice; a customer's invoices
 * finalize in month order (a month waits, visibly, behind an earlier draft, held or failed one), so a
 * commitment period's true-up is computed once all its months are final; a FAILED finalization is retried
 * with backoff. One customer's failing step never stops the others (issue 27): it is logged, counted
 * ({@value #FAILURES_METRIC}) and kept for finance until that customer's step next succeeds.
 */
@Service
public class InvoiceIssuing {

    private static final Logger log = LoggerFactory.getLogger(InvoiceIssuing.class);
    /** How far back a customer without any invoice is drafted (a guard against a wrong clock). */
    static final int MAX_CATCH_UP_MONTHS = 24;
    /** Counter of issuing steps that failed for one customer (tag {@code step}), the others going on. */
    public static final String FAILURES_METRIC = "voiceledger.billing.issuing.failures";
    /** First retry of a failed finalization after this long, doubling up to {@link #MAX_RETRY_DELAY}. */
    static final Duration FIRST_RETRY_DELAY = Duration.ofMinutes(1);
    static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);

    private final JdbcClient jdbc;
    private final InvoiceService invoices;
    private final CustomerService customers;
    private final BillableCharges charges;
    private final AuditLog audit;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final Duration defaultGrace;
    private final ContractService contracts;
    private final @Nullable MeterRegistry meters;

    InvoiceIssuing(JdbcClient jdbc, InvoiceService invoices, CustomerService customers, BillableCharges charges,
            AuditLog audit, Clock clock, PlatformTransactionManager transactionManager,
            @Value("${voiceledger.billing.grace-period:24h}") Duration defaultGrace, ContractService contracts,
            ObjectProvider<MeterRegistry> meters) {
        this.contracts = contracts;
        this.meters = meters.getIfAvailable();
        if (this.meters != null) {
            // registered at 0 from the start, so the first failure is an increase the alert rule sees (issue #32)
            for (String step : List.of("drafts", "finalize")) {
                Counter.builder(FAILURES_METRIC).description("issuing steps that failed for one customer")
                        .tag("step", step).register(this.meters);
            }
        }
        this.jdbc = jdbc;
        this.invoices = invoices;
        this.customers = customers;
        this.charges = charges;
        this.audit = audit;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
        if (defaultGrace.isNegative()) {
            throw new IllegalArgumentException("voiceledger.billing.grace-period must not be negative");
        }
        this.defaultGrace = defaultGrace;
    }

    /** What one tick did. */
    public record Tick(int drafted, int finalized, int held, int failed) {
    }

    @Scheduled(fixedDelayString = "${voiceledger.billing.issuing-poll:1m}",
            initialDelayString = "${voiceledger.billing.issuing-poll-start:5s}")
    public void scheduledTick() {
        Tick tick = tick(null);
        if (tick.drafted() + tick.finalized() + tick.held() + tick.failed() > 0) {
            log.info("Issuing: {} drafted, {} finalized, {} held, {} failed", tick.drafted(), tick.finalized(),
                    tick.held(), tick.failed());
        }
    }

    /**
     * Drafts every month that has ended, then finalizes (or holds) every draft whose grace has ended.
     * {@code only} limits it to some customers (tests share one database); null is every customer.
     */
    public Tick tick(@Nullable Collection<CustomerId> only) {
        int drafted = openDrafts(only);
        int finalized = 0;
        int held = 0;
        int failed = 0;
        for (long id : dueInvoices(only)) {
            switch (settle(id)) {
                case FINALIZED -> finalized++;
                case HELD -> held++;
                case FAILED -> failed++;
                case SKIPPED -> { }
            }
        }
        return new Tick(drafted, finalized, held, failed);
    }

    // ---------------------------------------------------------------- drafts

    private int openDrafts(@Nullable Collection<CustomerId> only) {
        Map<Long, YearMonth> latest = new HashMap<>();
        jdbc.sql("select customer_id, max(month) from billing_invoice where kind = 'INVOICE' group by customer_id")
                .query((rs, row) -> latest.put(rs.getLong(1), YearMonth.from(rs.getDate(2).toLocalDate()))).list();
        Set<Long> failing = new HashSet<>(jdbc.sql("select customer_id from billing_issuing_failure")
                .query(Long.class).list());
        Instant now = clock.instant();
        int drafted = 0;
        for (Customer customer : customers.list()) {
            if (only != null && !only.contains(customer.id())) {
                continue;
            }
            // one customer's failure (its data, a bug) is logged, counted and shown; the others go on
            try {
                drafted += openDrafts(customer, latest.get(customer.id().value()), now);
                if (failing.contains(customer.id().value())) {
                    cleared(customer.id(), "drafts");
                }
            } catch (RuntimeException e) {
                failed(customer, "drafts", e);
            }
        }
        return drafted;
    }

    private int openDrafts(Customer customer, @Nullable YearMonth after, Instant now) {
        YearMonth lastEnded = YearMonth.from(now.atZone(customer.billingTimeZone())).minusMonths(1);
        if (after != null && !after.isBefore(lastEnded)) {
            return 0;
        }
        YearMonth first = after != null ? after.plusMonths(1) : firstBillableMonth(customer, lastEnded);
        int drafted = 0;
        for (YearMonth month = first; !month.isAfter(lastEnded); month = month.plusMonths(1)) {
            drafted += openDraft(customer, month) ? 1 : 0;
        }
        return drafted;
    }

    /**
     * A customer never invoiced: from the start of its first contract (every month from then has its
     * invoice, BILLING-RULES §5), or the month it was created, or of its first open call, whichever is
     * earliest. Once it has invoices, months are drafted after its latest one; a call of an earlier month
     * bills as late usage on the next open invoice.
     */
    private YearMonth firstBillableMonth(Customer customer, YearMonth lastEnded) {
        ZoneId zone = customer.billingTimeZone();
        YearMonth first = YearMonth.from(customer.createdAt().atZone(zone));
        for (Contract contract : contracts.contractsOf(customer.id())) {
            YearMonth starts = YearMonth.from(contract.effectiveFrom().atZone(zone));
            first = starts.isBefore(first) ? starts : first;
        }
        YearMonth firstCall = charges.firstOpenDay(customer.id()).map(YearMonth::from).orElse(null);
        first = firstCall != null && firstCall.isBefore(first) ? firstCall : first;
        YearMonth earliest = lastEnded.minusMonths(MAX_CATCH_UP_MONTHS - 1);
        return first.isBefore(earliest) ? earliest : first;
    }

    private boolean openDraft(Customer customer, YearMonth month) {
        IssuingPolicy policy = policy(customer.id());
        Instant now = clock.instant();
        return Boolean.TRUE.equals(transactions.execute(status -> invoices.openDraft(customer, month,
                graceEnd(customer, month, now, policy.gracePeriod()), policy.hold() ? onHold(policy.holdReason()) : null,
                now)));
    }

    /**
     * When a draft finalizes by itself: a grace period after the later of its month's end and the moment
     * the draft was made (BILLING-RULES §5): a month drafted late (history loaded, a catch-up) still waits
     * a full grace period, and its calls arriving meanwhile are ordinary usage on it.
     */
    static Instant graceEnd(Customer customer, YearMonth month, @Nullable Instant draftMade, Duration grace) {
        Instant monthEnd = InvoiceService.monthEnd(customer, month);
        Instant from = draftMade != null && draftMade.isAfter(monthEnd) ? draftMade : monthEnd;
        return from.plus(grace);
    }

    private void failed(Customer customer, String step, RuntimeException e) {
        log.error("Issuing: {} of customer {} failed; the other customers go on", step, customer.externalId(), e);
        if (meters != null) {
            Counter.builder(FAILURES_METRIC).description("issuing steps that failed for one customer")
                    .tag("step", step).register(meters).increment();
        }
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        try {
            transactions.executeWithoutResult(status -> jdbc.sql("""
                    insert into billing_issuing_failure (customer_id, step, error, failures, first_at, last_at)
                    values (:id, :step, :error, 1, :now, :now)
                    on conflict (customer_id) do update set step = excluded.step, error = excluded.error,
                        failures = billing_issuing_failure.failures + 1, last_at = excluded.last_at
                    """).param("id", customer.id().value()).param("step", step)
                    .param("error", error.length() > 500 ? error.substring(0, 500) : error)
                    .param("now", Timestamp.from(clock.instant())).update());
        } catch (RuntimeException recording) {
            log.error("Issuing: could not record the failure of customer {}", customer.externalId(), recording);
        }
    }

    private void cleared(CustomerId customer, String step) {
        jdbc.sql("delete from billing_issuing_failure where customer_id = :id and step = :step")
                .param("id", customer.value()).param("step", step).update();
    }

    /** A step of the issuing job that failed for one customer, until it next succeeds. */
    public record StepFailure(CustomerId customerId, String step, String error, int failures, Instant firstAt,
            Instant lastAt) {
    }

    public List<StepFailure> stepFailures() {
        return jdbc.sql("select customer_id, step, error, failures, first_at, last_at from billing_issuing_failure "
                        + "order by last_at desc")
                .query((rs, row) -> new StepFailure(CustomerId.of(rs.getLong(1)), rs.getString(2), rs.getString(3),
                        rs.getInt(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant()))
                .list();
    }

    public Optional<StepFailure> stepFailure(CustomerId customer) {
        return stepFailures().stream().filter(failure -> failure.customerId().equals(customer)).findFirst();
    }

    // ---------------------------------------------------------------- finalizing

    /**
     * Drafts whose grace has ended, held invoices not held by finance (their calls may be priced now),
     * and failed ones whose retry is due; per customer in month order, so that an earlier month settled in
     * this tick lets the next one go in the same tick.
     */
    private List<Long> dueInvoices(@Nullable Collection<CustomerId> only) {
        return jdbc.sql("""
                select i.id, i.customer_id from billing_invoice i
                left join billing_policy p on p.customer_id = i.customer_id
                where i.kind = 'INVOICE' and (
                       (i.status = 'DRAFT' and i.finalizes_at <= :now)
                    or (i.status = 'HELD' and i.finalizes_at <= :now and not coalesce(p.hold, false))
                    or (i.status = 'FAILED' and i.next_attempt_at <= :now and not coalesce(p.hold, false)))
                order by i.customer_id, i.month, i.id
                """)
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, row) -> only == null || only.contains(CustomerId.of(rs.getLong(2))) ? rs.getLong(1) : null)
                .list().stream().filter(java.util.Objects::nonNull).toList();
    }

    enum Outcome { FINALIZED, HELD, FAILED, SKIPPED }

    /**
     * Takes one due invoice (skipped when another instance has it, it changed meanwhile, or an earlier
     * month of the customer is not final yet: it waits for it) and finalizes it, or holds it with the
     * reason; a finalization that throws leaves it FAILED, retried with backoff.
     */
    private Outcome settle(long id) {
        try {
            return transactions.execute(status -> {
                Optional<InvoiceService.Row> claimed = jdbc.sql(InvoiceService.ROW + """
                         where id = :id and (
                                (status in ('DRAFT', 'HELD') and finalizes_at <= :now)
                             or (status = 'FAILED' and next_attempt_at <= :now))
                         for update skip locked""")
                        .param("id", id).param("now", Timestamp.from(clock.instant()))
                        .query((rs, n) -> InvoiceService.row(rs)).optional();
                if (claimed.isEmpty()) {
                    return Outcome.SKIPPED;
                }
                InvoiceService.Row row = claimed.get();
                if (!earlierNotFinal(row.customerId(), row.month()).isEmpty()) {
                    // months finalize in order (BILLING-RULES §5): it waits; the calendar says for what
                    return Outcome.SKIPPED;
                }
                Customer customer = customers.get(row.customerId());
                IssuingPolicy policy = policy(customer.id());
                String reason = policy.hold() ? onHold(policy.holdReason()) : unpricedReason(customer, row.month());
                if (reason != null) {
                    jdbc.sql("update billing_invoice set status = 'HELD', hold_reason = :reason where id = :id")
                            .param("reason", reason).param("id", id).update();
                    return row.status().equals(Invoice.HELD) ? Outcome.SKIPPED : Outcome.HELD;
                }
                invoices.finalizeLocked(customer, row.month(), id);
                return Outcome.FINALIZED;
            });
        } catch (RuntimeException e) {
            log.error("Finalizing invoice {} failed; retried with backoff", id, e);
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            try {
                transactions.executeWithoutResult(status -> {
                    int attempts = jdbc.sql("select attempts from billing_invoice where id = :id")
                            .param("id", id).query(Integer.class).optional().orElse(0) + 1;
                    jdbc.sql("""
                            update billing_invoice set status = 'FAILED', hold_reason = :error, attempts = :attempts,
                                next_attempt_at = :next
                            where id = :id and status <> 'FINALIZED'
                            """).param("error", "Finalizing failed: " + error).param("attempts", attempts)
                            .param("next", Timestamp.from(clock.instant().plus(retryDelay(attempts))))
                            .param("id", id).update();
                });
            } catch (RuntimeException recording) {
                log.error("Could not record the failure of invoice {}", id, recording);
            }
            if (meters != null) {
                Counter.builder(FAILURES_METRIC).description("issuing steps that failed for one customer")
                        .tag("step", "finalize").register(meters).increment();
            }
            return Outcome.FAILED;
        }
    }

    /** 1 min after the first failure, doubling with each attempt, at most an hour apart. */
    static Duration retryDelay(int attempts) {
        Duration delay = FIRST_RETRY_DELAY;
        for (int i = 1; i < attempts && delay.compareTo(MAX_RETRY_DELAY) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }

    private List<InvoiceService.Row> earlierNotFinal(CustomerId customer, YearMonth month) {
        return invoices.earlierNotFinal(customer, month);
    }

    private @Nullable String unpricedReason(Customer customer, YearMonth month) {
        long unpriced = invoices.unpricedCalls(customer.id(), month);
        return unpriced == 0 ? null : unpriced + (unpriced == 1 ? " call is" : " calls are")
                + " not priced yet: price them (Unpriced usage) and it finalizes by itself, or finalize it now and "
                + "they bill as late usage once priced";
    }

    private static String onHold(@Nullable String reason) {
        return "On hold by finance" + (reason == null || reason.isBlank() ? "" : ": " + reason.strip());
    }

    // ---------------------------------------------------------------- finance

    /**
     * Finance finalizes a draft (or a held or failed invoice) now; a final invoice is returned as it is.
     * Calls not priced yet stay off it and bill as late usage once priced. Audited.
     */
    public Invoice finalizeNow(long invoiceId, @Nullable String reason, String actor) {
        return transactions.execute(status -> {
            InvoiceService.Row row = jdbc.sql(InvoiceService.ROW + " where id = :id and kind = 'INVOICE' for update")
                    .param("id", invoiceId).query((rs, n) -> InvoiceService.row(rs)).optional()
                    .orElseThrow(() -> new NotFoundException("no invoice " + invoiceId));
            if (row.status().equals(Invoice.FINALIZED)) {
                return invoices.get(row.customerId(), invoiceId);
            }
            Customer customer = customers.get(row.customerId());
            List<InvoiceService.Row> earlier = earlierNotFinal(row.customerId(), row.month());
            if (!earlier.isEmpty()) {
                // months finalize in order (BILLING-RULES §5, decision 0061): finance finalizes the earliest first
                throw new ConflictException(row.month() + " waits for " + earlier.stream()
                        .map(e -> e.month() + " (" + e.status() + ", invoice " + e.id() + ")")
                        .collect(java.util.stream.Collectors.joining(", "))
                        + ": a customer's invoices finalize in month order; finalize the earliest first");
            }
            long unpriced = invoices.unpricedCalls(customer.id(), row.month());
            invoices.finalizeLocked(customer, row.month(), invoiceId);
            Invoice finalized = invoices.get(customer.id(), invoiceId);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("customer", customer.externalId());
            details.put("month", row.month().toString());
            details.put("was", row.status());
            details.put("total", finalized.total().toPlainString());
            details.put("unpricedCallsLeftForLater", unpriced);
            audit.record(actor, "invoice.finalize", finalized.number(),
                    reason == null || reason.isBlank() ? "finalized by finance before its grace period ended" : reason,
                    details);
            return finalized;
        });
    }

    /**
     * Sets a customer's own grace period (null: back to the default); its drafts move to the new end
     * (one whose new end has passed finalizes at the next tick). Audited.
     */
    public IssuingPolicy setGracePeriod(Customer customer, @Nullable Duration grace, @Nullable String reason,
            String actor) {
        if (grace != null && (grace.isNegative() || grace.compareTo(Duration.ofDays(62)) > 0)) {
            throw new BadRequestException("the grace period is between 0 and 62 days, got " + grace);
        }
        return transactions.execute(status -> {
            IssuingPolicy before = policy(customer.id());
            jdbc.sql("""
                    insert into billing_policy (customer_id, grace_period_seconds) values (:id, :seconds)
                    on conflict (customer_id) do update set grace_period_seconds = excluded.grace_period_seconds
                    """).param("id", customer.id().value()).param("seconds", grace == null ? null : grace.toSeconds())
                    .update();
            Duration effective = grace == null ? defaultGrace : grace;
            record Open(long id, YearMonth month, @Nullable Instant made) {
            }
            for (Open row : jdbc.sql("""
                     select id, month, created_at from billing_invoice
                     where customer_id = :id and kind = 'INVOICE' and status in ('DRAFT', 'HELD', 'FAILED') for update""")
                    .param("id", customer.id().value())
                    .query((rs, n) -> new Open(rs.getLong(1), YearMonth.from(rs.getDate(2).toLocalDate()),
                            instant(rs.getTimestamp(3)))).list()) {
                // still from the later of the month's end and when its draft was made
                jdbc.sql("update billing_invoice set finalizes_at = :at where id = :id")
                        .param("at", Timestamp.from(graceEnd(customer, row.month(), row.made(), effective)))
                        .param("id", row.id()).update();
            }
            audit.record(actor, "billing.grace-period", customer.externalId(),
                    reason == null || reason.isBlank() ? "grace period changed by finance" : reason,
                    Map.of("from", before.gracePeriod().toString(), "to", effective.toString(),
                            "customerOverride", grace != null));
            return policy(customer.id());
        });
    }

    /**
     * Holds a customer (manual issuance: its drafts wait, HELD, for finance) or releases it (its held
     * invoices are drafts again and finalize when their grace has ended). Audited.
     */
    public IssuingPolicy hold(Customer customer, boolean hold, @Nullable String reason, String actor) {
        if (hold && (reason == null || reason.isBlank())) {
            throw new BadRequestException("a reason is required to hold a customer's invoices");
        }
        return transactions.execute(status -> {
            jdbc.sql("""
                    insert into billing_policy (customer_id, hold, hold_reason) values (:id, :hold, :reason)
                    on conflict (customer_id) do update set hold = excluded.hold, hold_reason = excluded.hold_reason
                    """).param("id", customer.id().value()).param("hold", hold)
                    .param("reason", hold ? reason.strip() : null).update();
            if (hold) {
                jdbc.sql("""
                        update billing_invoice set status = 'HELD', hold_reason = :reason
                        where customer_id = :id and kind = 'INVOICE' and status = 'DRAFT'
                        """).param("reason", onHold(reason)).param("id", customer.id().value()).update();
            } else {
                jdbc.sql("""
                        update billing_invoice set status = 'DRAFT', hold_reason = null
                        where customer_id = :id and kind = 'INVOICE' and status = 'HELD'
                        """).param("id", customer.id().value()).update();
            }
            audit.record(actor, hold ? "billing.hold" : "billing.release", customer.externalId(),
                    reason == null || reason.isBlank() ? "released by finance" : reason, Map.of("hold", hold));
            return policy(customer.id());
        });
    }

    // ---------------------------------------------------------------- reads

    public Duration defaultGracePeriod() {
        return defaultGrace;
    }

    public IssuingPolicy policy(CustomerId customer) {
        return jdbc.sql("select grace_period_seconds, hold, hold_reason from billing_policy where customer_id = :id")
                .param("id", customer.value())
                .query((rs, row) -> {
                    long seconds = rs.getLong(1);
                    boolean overridden = !rs.wasNull();
                    return new IssuingPolicy(overridden ? Duration.ofSeconds(seconds) : defaultGrace, overridden,
                            rs.getBoolean(2), rs.getString(3));
                })
                .optional()
                .orElse(new IssuingPolicy(defaultGrace, false, false, null));
    }

    /**
     * A customer's billing calendar, newest month first: from its first invoice (or the month it was
     * created) to the month in progress, each with its state and next step, and for a month that waits,
     * why ("waits for October: 3 calls without a price", "finalizes 9 Dec 14:00 America/New_York").
     */
    public List<CalendarMonth> calendar(Customer customer) {
        Instant now = clock.instant();
        record Stored(long id, YearMonth month, String number, String status, @Nullable Instant finalizesAt,
                @Nullable Instant finalizedAt, @Nullable String reason, int attempts, @Nullable Instant nextAttempt) {
        }
        TreeMap<YearMonth, Stored> byMonth = new TreeMap<>();
        for (Stored invoice : jdbc.sql("""
                select id, month, number, status, finalizes_at, finalized_at, hold_reason, attempts, next_attempt_at
                from billing_invoice where customer_id = :id and kind = 'INVOICE'
                """).param("id", customer.id().value()).query((rs, row) -> new Stored(rs.getLong(1),
                        YearMonth.from(rs.getDate(2).toLocalDate()), rs.getString(3), rs.getString(4),
                        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getString(7), rs.getInt(8),
                        instant(rs.getTimestamp(9)))).list()) {
            byMonth.put(invoice.month(), invoice);
        }
        ZoneId zone = customer.billingTimeZone();
        YearMonth current = YearMonth.from(now.atZone(zone));
        YearMonth first = byMonth.isEmpty() ? YearMonth.from(customer.createdAt().atZone(zone)) : byMonth.firstKey();
        IssuingPolicy policy = policy(customer.id());
        List<CalendarMonth> months = new ArrayList<>();
        Stored waitingFor = null;
        String waitingWhy = null;
        for (YearMonth month = first; !month.isAfter(current); month = month.plusMonths(1)) {
            Stored invoice = byMonth.get(month);
            CalendarMonth shown;
            if (invoice == null) {
                shown = open(customer, month, policy, now);
            } else if (invoice.status().equals(Invoice.FINALIZED)) {
                shown = new CalendarMonth(month, invoice.status(), invoice.id(), invoice.number(), null,
                        invoice.finalizedAt(), null, null, "final: changes only by a credit note", null);
            } else {
                String own = switch (invoice.status()) {
                    case Invoice.DRAFT -> policy.hold() ? "waits for finance (on hold)"
                            : "finalizes " + at(invoice.finalizesAt(), zone);
                    case Invoice.HELD -> unpricedCount(invoice.reason()) != null
                            ? unpricedCount(invoice.reason()) + ": price them and it finalizes by itself, or finalize it now"
                            : "needs action: " + (invoice.reason() == null ? "held" : invoice.reason())
                                    + "; release the hold or finalize it now";
                    default -> "finalizing failed (attempt " + invoice.attempts() + "): " + invoice.reason()
                            + (invoice.nextAttempt() == null ? "" : "; retried " + at(invoice.nextAttempt(), zone))
                            + ", or finalize it now";
                };
                if (waitingFor != null) {
                    shown = new CalendarMonth(month, invoice.status(), invoice.id(), invoice.number(),
                            invoice.finalizesAt(), null, invoice.reason(), null, "waits for "
                                    + label(waitingFor.month(), month) + ": " + waitingWhy, waitingFor.month());
                } else {
                    Instant nextAt = switch (invoice.status()) {
                        case Invoice.DRAFT -> policy.hold() ? null : invoice.finalizesAt();
                        case Invoice.FAILED -> invoice.nextAttempt();
                        default -> null;
                    };
                    shown = new CalendarMonth(month, invoice.status(), invoice.id(), invoice.number(),
                            invoice.finalizesAt(), null, invoice.reason(), nextAt, own, null);
                    waitingFor = invoice;
                    waitingWhy = switch (invoice.status()) {
                        case Invoice.DRAFT -> policy.hold() ? "on hold by finance"
                                : "it finalizes " + at(invoice.finalizesAt(), zone);
                        case Invoice.HELD -> unpricedCount(invoice.reason()) != null ? unpricedCount(invoice.reason())
                                : invoice.reason() == null ? "held" : invoice.reason();
                        default -> "finalizing failed, retried " + at(invoice.nextAttempt(), zone);
                    };
                }
            }
            months.add(shown);
        }
        return months.reversed();
    }

    private static final java.util.regex.Pattern UNPRICED = java.util.regex.Pattern.compile(
            "^(\\d+) calls? (is|are) not priced yet.*", java.util.regex.Pattern.DOTALL);

    /** "3 calls without a price" when a held invoice waits for prices, else null. */
    private static @Nullable String unpricedCount(@Nullable String reason) {
        if (reason == null) {
            return null;
        }
        var matcher = UNPRICED.matcher(reason);
        if (!matcher.matches()) {
            return null;
        }
        long count = Long.parseLong(matcher.group(1));
        return count + (count == 1 ? " call" : " calls") + " without a price";
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

    /** "9 Dec 14:00 America/New_York": a time in the customer's billing zone, as finance reads it. */
    static String at(@Nullable Instant instant, ZoneId zone) {
        return instant == null ? "when finance acts" : WHEN.format(instant.atZone(zone)) + " " + zone.getId();
    }

    /** "October", or "October 2026" when it is not the year of the month that waits. */
    private static String label(YearMonth month, YearMonth from) {
        String name = month.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        return month.getYear() == from.getYear() ? name : name + " " + month.getYear();
    }

    private static CalendarMonth open(Customer customer, YearMonth month, IssuingPolicy policy, Instant now) {
        Instant end = InvoiceService.monthEnd(customer, month);
        return end.isAfter(now)
                ? new CalendarMonth(month, CalendarMonth.OPEN, null, null, null, null, null, end,
                        policy.hold() ? "becomes a draft when the month ends, and waits for finance (on hold)"
                                : "becomes a draft when the month ends", null)
                : new CalendarMonth(month, CalendarMonth.OPEN, null, null, null, null, null, now,
                        "becomes a draft at the next issuing tick", null);
    }

    /**
     * Drafts finalizing within {@code within}, every held or failed invoice, soonest first, and every
     * customer whose issuing step failed (invoice id 0, state STEP_FAILED), so that finance sees it.
     */
    public List<IssuingItem> needingAttention(Duration within) {
        List<IssuingItem> items = new ArrayList<>(jdbc.sql("""
                select id, customer_id, month, status, finalizes_at, hold_reason, next_attempt_at, attempts,
                    (select min(e.month) from billing_invoice e where e.customer_id = i.customer_id
                       and e.kind = 'INVOICE' and e.month < i.month and e.status <> 'FINALIZED')
                from billing_invoice i
                where kind = 'INVOICE' and (status in ('HELD', 'FAILED') or (status = 'DRAFT' and finalizes_at <= :until))
                order by case status when 'FAILED' then 0 when 'HELD' then 1 else 2 end, finalizes_at, id
                """)
                .param("until", Timestamp.from(clock.instant().plus(within)))
                .query((rs, row) -> {
                    String reason = rs.getString(6);
                    Instant retry = instant(rs.getTimestamp(7));
                    if (rs.getString(4).equals(Invoice.FAILED) && retry != null) {
                        reason = reason + " (attempt " + rs.getInt(8) + "; retried " + retry + ")";
                    }
                    if (rs.getDate(9) != null) {
                        // months finalize in order: say what it waits for, not a time it will not keep
                        reason = "waits for " + YearMonth.from(rs.getDate(9).toLocalDate())
                                + (reason == null ? "" : "; " + reason);
                    }
                    return new IssuingItem(rs.getLong(1), CustomerId.of(rs.getLong(2)),
                            YearMonth.from(rs.getDate(3).toLocalDate()), rs.getString(4), instant(rs.getTimestamp(5)),
                            reason);
                })
                .list());
        Instant now = clock.instant();
        for (StepFailure failure : stepFailures()) {
            items.addFirst(new IssuingItem(0, failure.customerId(), YearMonth.from(now.atZone(java.time.ZoneOffset.UTC)),
                    "STEP_FAILED", null, "issuing (" + failure.step() + ") failed " + failure.failures() + " times since "
                            + failure.firstAt() + ": " + failure.error()));
        }
        return items;
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

}
