package com.voiceledger.billing;

import com.voiceledger.audit.AuditLog;
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
 */
@Service
public class InvoiceIssuing {

    private static final Logger log = LoggerFactory.getLogger(InvoiceIssuing.class);
    /** How far back a customer without any invoice is drafted (a guard against a wrong clock). */
    static final int MAX_CATCH_UP_MONTHS = 24;

    private final JdbcClient jdbc;
    private final InvoiceService invoices;
    private final CustomerService customers;
    private final BillableCharges charges;
    private final AuditLog audit;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final Duration defaultGrace;

    InvoiceIssuing(JdbcClient jdbc, InvoiceService invoices, CustomerService customers, BillableCharges charges,
            AuditLog audit, Clock clock, PlatformTransactionManager transactionManager,
            @Value("${voiceledger.billing.grace-period:24h}") Duration defaultGrace) {
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
        Instant now = clock.instant();
        int drafted = 0;
        for (Customer customer : customers.list()) {
            if (only != null && !only.contains(customer.id())) {
                continue;
            }
            YearMonth lastEnded = YearMonth.from(now.atZone(customer.billingTimeZone())).minusMonths(1);
            YearMonth after = latest.get(customer.id().value());
            if (after != null && !after.isBefore(lastEnded)) {
                continue;
            }
            YearMonth first = after != null ? after.plusMonths(1) : firstBillableMonth(customer, lastEnded);
            for (YearMonth month = first; !month.isAfter(lastEnded); month = month.plusMonths(1)) {
                drafted += openDraft(customer, month) ? 1 : 0;
            }
        }
        return drafted;
    }

    /** A customer never invoiced: from the month it was created, or of its first open call if earlier. */
    private YearMonth firstBillableMonth(Customer customer, YearMonth lastEnded) {
        YearMonth created = YearMonth.from(customer.createdAt().atZone(customer.billingTimeZone()));
        YearMonth first = charges.firstOpenDay(customer.id()).map(YearMonth::from)
                .filter(month -> month.isBefore(created)).orElse(created);
        YearMonth earliest = lastEnded.minusMonths(MAX_CATCH_UP_MONTHS - 1);
        return first.isBefore(earliest) ? earliest : first;
    }

    private boolean openDraft(Customer customer, YearMonth month) {
        IssuingPolicy policy = policy(customer.id());
        Instant finalizesAt = InvoiceService.monthEnd(customer, month).plus(policy.gracePeriod());
        return Boolean.TRUE.equals(transactions.execute(status -> invoices.openDraft(customer, month, finalizesAt,
                policy.hold() ? onHold(policy.holdReason()) : null)));
    }

    // ---------------------------------------------------------------- finalizing

    private List<Long> dueInvoices(@Nullable Collection<CustomerId> only) {
        List<Long> due = jdbc.sql("""
                select i.id, i.customer_id from billing_invoice i
                left join billing_policy p on p.customer_id = i.customer_id
                where i.kind = 'INVOICE' and i.finalizes_at <= :now
                  and (i.status = 'DRAFT' or (i.status = 'HELD' and not coalesce(p.hold, false)))
                order by i.month, i.id
                """)
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, row) -> only == null || only.contains(CustomerId.of(rs.getLong(2))) ? rs.getLong(1) : null)
                .list().stream().filter(java.util.Objects::nonNull).toList();
        return due;
    }

    enum Outcome { FINALIZED, HELD, FAILED, SKIPPED }

    /**
     * Takes one due invoice (skipped when another instance has it or it changed meanwhile) and
     * finalizes it, or holds it with the reason; a finalization that throws leaves it FAILED.
     */
    private Outcome settle(long id) {
        try {
            return transactions.execute(status -> {
                Optional<InvoiceService.Row> claimed = jdbc.sql(InvoiceService.ROW + """
                         where id = :id and finalizes_at <= :now and status in ('DRAFT', 'HELD')
                         for update skip locked""")
                        .param("id", id).param("now", Timestamp.from(clock.instant()))
                        .query((rs, n) -> InvoiceService.row(rs)).optional();
                if (claimed.isEmpty()) {
                    return Outcome.SKIPPED;
                }
                InvoiceService.Row row = claimed.get();
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
            log.error("Finalizing invoice {} failed", id, e);
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            transactions.executeWithoutResult(status -> jdbc.sql("""
                    update billing_invoice set status = 'FAILED', hold_reason = :error
                    where id = :id and status <> 'FINALIZED'
                    """).param("error", "Finalizing failed: " + error).param("id", id).update());
            return Outcome.FAILED;
        }
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
            for (InvoiceService.Row row : jdbc.sql(InvoiceService.ROW + """
                     where customer_id = :id and kind = 'INVOICE' and status in ('DRAFT', 'HELD') for update""")
                    .param("id", customer.id().value()).query((rs, n) -> InvoiceService.row(rs)).list()) {
                jdbc.sql("update billing_invoice set finalizes_at = :at where id = :id")
                        .param("at", Timestamp.from(InvoiceService.monthEnd(customer, row.month()).plus(effective)))
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
     * created) to the month in progress, each with its state and next automatic step.
     */
    public List<CalendarMonth> calendar(Customer customer) {
        Instant now = clock.instant();
        Map<YearMonth, Invoice> byMonth = new HashMap<>();
        for (Invoice invoice : jdbc.sql("""
                select id, month, number, status, finalizes_at, finalized_at, hold_reason from billing_invoice
                where customer_id = :id and kind = 'INVOICE'
                """).param("id", customer.id().value()).query((rs, row) -> new Invoice(rs.getLong(1),
                        customer.id(), rs.getString(3), YearMonth.from(rs.getDate(2).toLocalDate()), rs.getString(4),
                        customer.currency(), java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO,
                        java.math.BigDecimal.ZERO, instant(rs.getTimestamp(6)), instant(rs.getTimestamp(5)),
                        rs.getString(7), List.of())).list()) {
            byMonth.put(invoice.month(), invoice);
        }
        YearMonth current = YearMonth.from(now.atZone(customer.billingTimeZone()));
        YearMonth first = byMonth.keySet().stream().min(YearMonth::compareTo)
                .orElse(YearMonth.from(customer.createdAt().atZone(customer.billingTimeZone())));
        IssuingPolicy policy = policy(customer.id());
        List<CalendarMonth> months = new ArrayList<>();
        for (YearMonth month = current; !month.isBefore(first); month = month.minusMonths(1)) {
            Invoice invoice = byMonth.get(month);
            months.add(invoice == null ? open(customer, month, policy, now) : calendarMonth(invoice, policy));
        }
        return months;
    }

    private static CalendarMonth open(Customer customer, YearMonth month, IssuingPolicy policy, Instant now) {
        Instant end = InvoiceService.monthEnd(customer, month);
        return end.isAfter(now)
                ? new CalendarMonth(month, CalendarMonth.OPEN, null, null, null, null, null, end,
                        policy.hold() ? "becomes a draft when the month ends, and waits for finance (on hold)"
                                : "becomes a draft when the month ends")
                : new CalendarMonth(month, CalendarMonth.OPEN, null, null, null, null, null, now,
                        "becomes a draft at the next issuing tick");
    }

    private static CalendarMonth calendarMonth(Invoice invoice, IssuingPolicy policy) {
        return switch (invoice.status()) {
            case Invoice.FINALIZED -> new CalendarMonth(invoice.month(), invoice.status(), invoice.id(),
                    invoice.number(), null, invoice.finalizedAt(), null, null, "final: changes only by a credit note");
            case Invoice.DRAFT -> new CalendarMonth(invoice.month(), invoice.status(), invoice.id(), invoice.number(),
                    invoice.finalizesAt(), null, null, invoice.finalizesAt(),
                    policy.hold() ? "waits for finance (on hold)" : "finalizes by itself when its grace period ends");
            case Invoice.HELD -> new CalendarMonth(invoice.month(), invoice.status(), invoice.id(), invoice.number(),
                    invoice.finalizesAt(), null, invoice.holdReason(), null,
                    "needs action: finalize now, price its calls or release the hold");
            default -> new CalendarMonth(invoice.month(), invoice.status(), invoice.id(), invoice.number(),
                    invoice.finalizesAt(), null, invoice.holdReason(), null, "needs action: finalize now to retry");
        };
    }

    /** Drafts finalizing within {@code within}, and every held or failed invoice, soonest first. */
    public List<IssuingItem> needingAttention(Duration within) {
        return jdbc.sql("""
                select id, customer_id, month, status, finalizes_at, hold_reason from billing_invoice
                where kind = 'INVOICE' and (status in ('HELD', 'FAILED') or (status = 'DRAFT' and finalizes_at <= :until))
                order by case status when 'FAILED' then 0 when 'HELD' then 1 else 2 end, finalizes_at, id
                """)
                .param("until", Timestamp.from(clock.instant().plus(within)))
                .query((rs, row) -> new IssuingItem(rs.getLong(1), CustomerId.of(rs.getLong(2)),
                        YearMonth.from(rs.getDate(3).toLocalDate()), rs.getString(4), instant(rs.getTimestamp(5)),
                        rs.getString(6)))
                .list();
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

}
