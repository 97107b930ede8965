package com.voiceledger.billing;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.NotFoundException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Month-end close as a background run: queued by finance, picked up by any instance, each customer
 * closed in its own transaction so that one customer's failure does not stop the others. Safe to
 * re-run: a closed customer-month is reported as already closed and left unchanged. The instance
 * running a run holds a lease on it, extended after each customer; a run whose instance died (lease
 * expired) is claimed again by any instance and goes on with the customers that have no result yet.
 */
@Service
public class BillingRuns {

    private static final Logger log = LoggerFactory.getLogger(BillingRuns.class);

    private final JdbcClient jdbc;
    private final CustomerService customers;
    private final InvoiceService invoices;
    private final TransactionTemplate transactions;
    private final Clock clock;

    private final int workers;
    /** This instance, as the holder of a run's lease. */
    private final String owner;
    private final Duration lease;

    BillingRuns(JdbcClient jdbc, CustomerService customers, InvoiceService invoices,
            PlatformTransactionManager transactionManager, Clock clock,
            @Value("${voiceledger.billing.close-workers:2}") int workers,
            @Value("${spring.application.name:voiceledger}") String instance,
            @Value("${voiceledger.jobs.lease:2m}") Duration lease) {
        this.owner = instance + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        this.lease = lease;
        this.workers = Math.max(1, workers);
        this.jdbc = jdbc;
        this.customers = customers;
        this.invoices = invoices;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    public long start(YearMonth month, @Nullable Customer customer, String actor) {
        if (month == null) {
            throw new BadRequestException("month (YYYY-MM) is required");
        }
        if (!month.isBefore(YearMonth.from(clock.instant().atZone(java.time.ZoneOffset.UTC)).plusMonths(1))) {
            throw new BadRequestException(month + " has not started or ended yet");
        }
        return jdbc.sql("""
                insert into billing_run (month, customer_id, status, created_by, created_at)
                values (:month, :customerId, 'QUEUED', :actor, :now) returning id
                """)
                .param("month", Date.valueOf(month.atDay(1)))
                .param("customerId", customer == null ? null : customer.id().value())
                .param("actor", actor)
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
    }

    public BillingRun get(long id) {
        List<BillingRun.Result> results = jdbc.sql("""
                select customer_id, outcome, invoice_id, error from billing_run_result where run_id = :id
                order by customer_id
                """)
                .param("id", id)
                .query((rs, row) -> {
                    long invoice = rs.getLong(3);
                    return new BillingRun.Result(rs.getLong(1), rs.getString(2), rs.wasNull() ? null : invoice,
                            rs.getString(4));
                })
                .list();
        return jdbc.sql(SELECT + " where id = :id").param("id", id)
                .query((rs, row) -> run(rs, results)).optional()
                .orElseThrow(() -> new NotFoundException("no billing run " + id));
    }

    public List<BillingRun> recent(int limit) {
        return jdbc.sql(SELECT + " order by id desc limit :limit").param("limit", limit)
                .query((rs, row) -> run(rs, List.of())).list();
    }

    /** Runs queued closes, and runs whose instance stopped heartbeating, until none is left. */
    @Scheduled(fixedDelayString = "${voiceledger.billing.run-poll:2s}", initialDelayString = "${voiceledger.billing.run-poll-start:10s}")
    public void runQueued() {
        Optional<Long> run;
        while ((run = claim()).isPresent()) {
            execute(get(run.get()));
        }
    }

    private Optional<Long> claim() {
        Instant now = clock.instant();
        return transactions.execute(status -> jdbc.sql("""
                update billing_run set status = 'RUNNING', started_at = coalesce(started_at, :now), claims = claims + 1,
                    lease_owner = :owner, lease_expires_at = :expires
                where id = (select id from billing_run
                            where status = 'QUEUED'
                               or (status = 'RUNNING' and (lease_expires_at is null or lease_expires_at < :now))
                            order by id limit 1 for update skip locked)
                returning id
                """)
                .param("now", Timestamp.from(now))
                .param("owner", owner)
                .param("expires", Timestamp.from(now.plus(lease)))
                .query(Long.class).optional());
    }

    /** Extends this instance's lease on the run; false if another instance took it over. */
    private boolean holdLease(long runId) {
        return jdbc.sql("""
                update billing_run set lease_expires_at = :expires
                where id = :id and lease_owner = :owner and status = 'RUNNING'
                """)
                .param("expires", Timestamp.from(clock.instant().plus(lease))).param("id", runId)
                .param("owner", owner).update() > 0;
    }

    private void execute(BillingRun run) {
        List<Customer> all = run.customerId() == null ? customers.list()
                : List.of(customers.get(CustomerId.of(run.customerId())));
        jdbc.sql("update billing_run set total = :total where id = :id").param("total", all.size())
                .param("id", run.id()).update();
        // resumed after its instance died: the customers with a result are done
        java.util.Set<Long> finished = run.results().stream().map(BillingRun.Result::customerId)
                .collect(java.util.stream.Collectors.toSet());
        List<Customer> targets = all.stream().filter(c -> !finished.contains(c.id().value())).toList();
        // Customers are independent (each closes in its own transaction): a few at a time keep both the
        // CPU and the disk busy. See docs/decisions/0026-month-end-close-in-parallel.md.
        List<java.util.concurrent.Future<?>> closes = new java.util.ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, Math.max(1, targets.size())))) {
            for (Customer customer : targets) {
                closes.add(pool.submit(() -> {
                    if (holdLease(run.id())) {
                        closeOne(run, customer);
                    }
                }));
            }
        }
        // a close that failed is recorded as its customer's result; one whose result could not even be
        // recorded (the database went away) must not let the run pass for done
        boolean unrecorded = false;
        for (java.util.concurrent.Future<?> close : closes) {
            try {
                close.get();
            } catch (java.util.concurrent.ExecutionException e) {
                log.error("Billing run {}: a customer's result could not be recorded", run.id(), e.getCause());
                unrecorded = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unrecorded = true;
            }
        }
        int ended = jdbc.sql("""
                update billing_run set status = :status, finished_at = :now
                where id = :id and lease_owner = :owner and status = 'RUNNING'
                """)
                .param("status", unrecorded ? "FAILED" : "DONE")
                .param("now", Timestamp.from(clock.instant())).param("id", run.id()).param("owner", owner).update();
        if (ended == 0) {
            log.warn("Billing run {}: another instance took it over; it finishes it", run.id());
        }
    }

    private void closeOne(BillingRun run, Customer customer) {
        String outcome;
        Long invoiceId = null;
        String error = null;
        try {
            InvoiceService.Closed closed = invoices.close(customer, run.month());
            outcome = closed.alreadyClosed() ? "ALREADY_CLOSED" : "INVOICED";
            invoiceId = closed.invoice().id();
        } catch (RuntimeException e) {
            log.warn("Closing {} for {} failed", run.month(), customer.externalId(), e);
            outcome = "FAILED";
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        int recorded = jdbc.sql("""
                insert into billing_run_result (run_id, customer_id, outcome, invoice_id, error)
                values (:run, :customer, :outcome, :invoice, :error)
                on conflict (run_id, customer_id) do nothing
                """)
                .params(Map.of("run", run.id(), "customer", customer.id().value(), "outcome", outcome))
                .param("invoice", invoiceId)
                .param("error", error)
                .update();
        if (recorded == 0) {
            return; // recorded by an instance that took the run over meanwhile
        }
        jdbc.sql("update billing_run set " + (outcome.equals("FAILED") ? "failed = failed + 1" : "done = done + 1")
                + " where id = :id").param("id", run.id()).update();
    }

    private static final String SELECT = """
            select id, month, customer_id, status, total, done, failed, created_by, created_at, finished_at
            from billing_run""";

    private static BillingRun run(java.sql.ResultSet rs, List<BillingRun.Result> results) throws java.sql.SQLException {
        long customer = rs.getLong(3);
        Long customerId = rs.wasNull() ? null : customer;
        Timestamp finished = rs.getTimestamp(10);
        return new BillingRun(rs.getLong(1), YearMonth.from(rs.getDate(2).toLocalDate()), customerId, rs.getString(4),
                rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getTimestamp(9).toInstant(),
                finished == null ? null : finished.toInstant(), results);
    }
}
