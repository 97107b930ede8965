package com.voiceledger.billing;

import com.voiceledger.billing.InvoiceInput.CommitmentState;
import com.voiceledger.billing.InvoiceInput.GrantBalance;
import com.voiceledger.billing.InvoiceInput.PerMinuteTerms;
import com.voiceledger.contract.Commitment;
import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractService;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.rating.BillableCharges;
import com.voiceledger.rating.ChargeGroup;
import com.voiceledger.rating.DayRange;
import com.voiceledger.rating.PerMinuteGroup;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.usage.Reconciliation;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.Money;
import com.voiceledger.shared.NotFoundException;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Invoices: a month that has ended is a draft (its lines computed from the open charges when read),
 * then finalized in one transaction: the month's priced calls (and late calls of finalized months)
 * are assigned to it, summed, priced into lines by {@link InvoiceCalculator}, and the credit and
 * commitment ledgers written. A finalized invoice is never changed; finalizing again changes nothing.
 * When drafts open and finalize on their own: {@link InvoiceIssuing}.
 */
@Service
public class InvoiceService {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final BillableCharges charges;
    private final ContractService contracts;
    private final CreditService credits;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Reconciliation reconciliation;
    private final RateCardService rateCard;
    private final CustomerService customers;
    private final InvoiceNumbers numbers;

    private final InvoiceAddressee addressee;
    private final TaxRates taxes;

    InvoiceService(JdbcClient jdbc, JsonMapper json, BillableCharges charges, ContractService contracts,
            CreditService credits, Clock clock, ApplicationEventPublisher events, Reconciliation reconciliation,
            RateCardService rateCard, CustomerService customers, InvoiceNumbers numbers, InvoiceAddressee addressee, TaxRates taxes) {
        this.taxes = taxes;
        this.addressee = addressee;
        this.customers = customers;
        this.numbers = numbers;
        this.reconciliation = reconciliation;
        this.rateCard = rateCard;
        this.events = events;
        this.jdbc = jdbc;
        this.json = json;
        this.charges = charges;
        this.contracts = contracts;
        this.credits = credits;
        this.clock = clock;
    }

    /** Result of closing one customer-month. */
    public record Closed(Invoice invoice, boolean alreadyClosed) {
    }

    /**
     * Finance's month-end close (billing runs): the month's invoice is finalized now, a draft waiting for
     * its grace period included. Calls not priced yet stay off it (never a 0.00 line that takes them off
     * the books): the next re-rating prices them and they bill as late usage. See decision 0037.
     */
    @Transactional
    public Closed close(Customer customer, YearMonth month) {
        Instant monthEnd = monthEnd(customer, month);
        if (monthEnd.isAfter(clock.instant())) {
            throw new BadRequestException(month + " has not ended yet in " + customer.billingTimeZone()
                    + "; its draft is the upcoming invoice");
        }
        openDraft(customer, month, clock.instant(), null, clock.instant());
        Row row = lock(customer.id(), month).orElseThrow();
        if (row.status().equals(Invoice.FINALIZED)) {
            return new Closed(get(customer.id(), row.id()), true);
        }
        List<Row> earlier = earlierNotFinal(customer.id(), month);
        if (!earlier.isEmpty()) {
            // months finalize in order (BILLING-RULES §5, decision 0061)
            throw new ConflictException(month + " waits for " + earlier.stream().map(e -> e.month() + " ("
                    + e.status() + ")").collect(java.util.stream.Collectors.joining(", "))
                    + ": a customer's invoices finalize in month order; close the earliest first");
        }
        finalizeLocked(customer, month, row.id());
        return new Closed(get(customer.id(), row.id()), false);
    }

    /** An invoice row as issuing sees it. */
    record Row(long id, CustomerId customerId, YearMonth month, String status, @Nullable Instant finalizesAt) {
    }

    static Instant monthEnd(Customer customer, YearMonth month) {
        return month.plusMonths(1).atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant();
    }

    /**
     * Makes the month's draft invoice (DRAFT, or HELD with {@code holdReason}) unless the month already
     * has an invoice; true when this call made it. Concurrent callers make one (unique per month).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean openDraft(Customer customer, YearMonth month, Instant finalizesAt, @Nullable String holdReason,
            Instant draftMade) {
        Optional<Long> made = jdbc.sql("""
                insert into billing_invoice (customer_id, month, number, kind, currency, subtotal, credits, total,
                    status, finalizes_at, hold_reason, created_at)
                values (:customerId, :month, 'draft-' || gen_random_uuid(), 'INVOICE', :currency, 0, 0, 0,
                    :status, :finalizesAt, :reason, :now)
                on conflict (customer_id, month) where kind = 'INVOICE' do nothing
                returning id
                """)
                .param("customerId", customer.id().value())
                .param("month", Date.valueOf(month.atDay(1)))
                .param("currency", customer.currency())
                .param("status", holdReason == null ? Invoice.DRAFT : Invoice.HELD)
                .param("finalizesAt", Timestamp.from(finalizesAt))
                .param("reason", holdReason)
                .param("now", Timestamp.from(draftMade))
                .query(Long.class)
                .optional();
        made.ifPresent(id -> jdbc.sql("update billing_invoice set number = :number where id = :id")
                .param("number", "DRAFT-%s-%06d".formatted(month.toString().replace("-", ""), id))
                .param("id", id).update());
        return made.isPresent();
    }

    /** The month's invoice row, locked until the transaction ends (waits for another holder). */
    @Transactional(propagation = Propagation.MANDATORY)
    Optional<Row> lock(CustomerId customer, YearMonth month) {
        return jdbc.sql(ROW + " where customer_id = :customerId and month = :month and kind = 'INVOICE' for update")
                .param("customerId", customer.value())
                .param("month", Date.valueOf(month.atDay(1)))
                .query((rs, n) -> row(rs))
                .optional();
    }

    /** The customer's invoices of months before {@code month} that are not final yet, oldest first. */
    List<Row> earlierNotFinal(CustomerId customer, YearMonth month) {
        return jdbc.sql(ROW + """
                 where customer_id = :customer and kind = 'INVOICE' and month < :month and status <> 'FINALIZED'
                 order by month""")
                .param("customer", customer.value()).param("month", Date.valueOf(month.atDay(1)))
                .query((rs, n) -> row(rs)).list();
    }

    static final String ROW = "select id, customer_id, month, status, finalizes_at from billing_invoice ";

    static Row row(ResultSet rs) throws SQLException {
        Timestamp finalizesAt = rs.getTimestamp(5);
        return new Row(rs.getLong(1), CustomerId.of(rs.getLong(2)), YearMonth.from(rs.getDate(3).toLocalDate()),
                rs.getString(4), finalizesAt == null ? null : finalizesAt.toInstant());
    }

    /**
     * Finalizes a locked, not yet final invoice: numbers it, gives it the month's fully priced calls
     * (and the late calls of finalized months; unpriced ones stay open and bill as late usage once
     * priced), writes its lines and the ledgers, and announces it (Stripe and the customer react to
     * {@link InvoiceFinalized} in this transaction).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void finalizeLocked(Customer customer, YearMonth month, long id) {
        // no re-rating of this customer's calls between "which calls are open" and this commit
        charges.lockCustomer(customer.id());
        // no void of a grant between reading its balance and applying it
        credits.lockGrants(customer.id());
        Instant now = clock.instant();
        List<DayRange> ranges = openRanges(customer.id(), month);
        int close = charges.closeForInvoice(customer.id(), ranges, id, now);
        InvoiceInput base = input(customer, month, charges.groups(customer.id(), close, month.atDay(1), ranges),
                charges.perMinuteGroups(customer.id(), close, month.atDay(1), ranges));
        InvoiceDraft draft = taxes.apply(customer, InvoiceCalculator.calculate(withTelephonyDelta(customer, month, base)));
        // the legal number (decision 0071), taken once nothing left can fail on the invoice's own data: it holds
        // the series' counter until this commits, and a rollback gives it back, so the series has no gap
        String number = numbers.next(InvoiceNumbers.Series.INVOICE, now);
        jdbc.sql("""
                update billing_invoice set number = :number, subtotal = :subtotal, credits = :credits, total = :total,
                    status = 'FINALIZED', finalized_at = :now, finalizes_at = null, hold_reason = null
                where id = :id
                """)
                .param("number", number)
                .param("subtotal", draft.subtotal())
                .param("credits", draft.credits())
                .param("total", draft.total())
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update();
        int lineNo = 0;
        for (InvoiceLine line : draft.lines()) {
            jdbc.sql("""
                    insert into billing_invoice_line (invoice_id, line_no, kind, description, quantity, unit, unit_price,
                        amount, explanation)
                    values (:id, :no, :kind, :description, :quantity, :unit, :unitPrice, :amount,
                        cast(:explanation as jsonb))
                    """)
                    .param("id", id)
                    .param("no", ++lineNo)
                    .param("kind", line.kind().wireName())
                    .param("description", line.description())
                    .param("quantity", line.quantity())
                    .param("unit", line.unit())
                    .param("unitPrice", line.unitPrice())
                    .param("amount", line.amount())
                    .param("explanation", json.writeValueAsString(line.explanation()))
                    .update();
        }
        for (InvoiceDraft.CreditUse use : draft.creditUses()) {
            credits.apply(use.grantId(), customer.id(), use.amount(), id, number);
        }
        for (InvoiceDraft.CommitmentMove move : draft.commitmentMoves()) {
            jdbc.sql("""
                    insert into billing_commitment_entry (customer_id, period_start, kind, amount, invoice_id, at)
                    values (:customerId, :periodStart, :kind, :amount, :invoice, :now)
                    """)
                    .param("customerId", customer.id().value())
                    .param("periodStart", Date.valueOf(move.periodStart()))
                    .param("kind", move.kind())
                    .param("amount", move.amount())
                    .param("invoice", id)
                    .param("now", Timestamp.from(now))
                    .update();
        }
        // whom it is addressed to, as the customer's details stand now (a zero invoice has a PDF too)
        addressee.keep(id, customer.id());
        if (!draft.lines().isEmpty()) {
            // a zero invoice (nothing billed) is kept, numbered and shown, but neither pushed nor announced
            events.publishEvent(new InvoiceFinalized(id, customer.id(), number));
        }
    }

    /** Earlier than any call a customer can have: where the late days of an invoice start. */
    static final LocalDate BEGINNING = LocalDate.of(2000, 1, 1);

    /**
     * The days whose open calls belong on this month's invoice: the month, and as late usage every earlier
     * day not on an invoice still open (finalized months, and months before the customer's first invoice:
     * a call attributed or priced weeks later is never left on no invoice, BILLING-RULES §5), and later
     * finalized months (a month finalized before this one by finance's close of old).
     */
    private List<DayRange> openRanges(CustomerId customer, YearMonth month) {
        List<YearMonth> open = jdbc.sql("select month from billing_invoice where customer_id = :customerId "
                        + "and kind = 'INVOICE' and status <> 'FINALIZED' and month < :month order by month")
                .param("customerId", customer.value()).param("month", Date.valueOf(month.atDay(1)))
                .query((rs, row) -> YearMonth.from(rs.getDate(1).toLocalDate())).list();
        List<DayRange> ranges = new ArrayList<>();
        LocalDate from = BEGINNING;
        for (YearMonth pending : open) {
            if (from.isBefore(pending.atDay(1))) {
                ranges.add(new DayRange(from, pending.atDay(1)));
            }
            from = pending.plusMonths(1).atDay(1);
        }
        ranges.add(new DayRange(from, month.plusMonths(1).atDay(1)));
        closedMonths(customer).stream().filter(closed -> closed.isAfter(month)).map(DayRange::of).forEach(ranges::add);
        return ranges;
    }

    /** Calls on a not yet final invoice that are not priced yet (such a draft is held, not finalized). */
    @Transactional(readOnly = true)
    public long unpricedCalls(CustomerId customer, YearMonth month) {
        return charges.openUnpricedCalls(customer, openRanges(customer, month));
    }

    /**
     * Corrects a closed invoice: a credit note (its own number, one negative line) that references it.
     * The invoice itself is never changed; the amount may not exceed what is left of the invoice total.
     */
    @Transactional
    public Invoice issueCreditNote(Customer customer, long invoiceId, BigDecimal amount, String reason, String actor) {
        // one credit note at a time per invoice: what is left to credit is read after the previous one committed
        Optional<String> kind = jdbc.sql("select kind from billing_invoice where id = :id and customer_id = :customerId "
                        + "for update")
                .param("id", invoiceId).param("customerId", customer.id().value()).query(String.class).optional();
        Invoice original = get(customer.id(), invoiceId);
        if (!original.isFinal()) {
            throw new BadRequestException(original.number() + " is a draft: it changes until it is finalized, "
                    + "and only a finalized invoice is corrected by a credit note");
        }
        if (!kind.orElseThrow().equals("INVOICE")) {
            throw new BadRequestException("credit notes correct invoices, not other credit notes");
        }
        if (amount == null || amount.signum() <= 0 || Money.round(amount, customer.currency()).compareTo(amount) != 0) {
            throw new BadRequestException("amount must be more than 0, in whole " + customer.currency() + " minor units");
        }
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a reason is required: it is printed on the credit note");
        }
        BigDecimal credited = jdbc.sql("select coalesce(sum(-total), 0) from billing_invoice where corrects = :id")
                .param("id", invoiceId).query(BigDecimal.class).single();
        if (credited.add(amount).compareTo(original.total()) > 0) {
            throw new BadRequestException("only " + original.total().subtract(credited).toPlainString() + " "
                    + customer.currency() + " of " + original.number() + " is left to credit");
        }
        BigDecimal negative = Money.round(amount, customer.currency()).negate();
        Instant now = clock.instant();
        long id = jdbc.sql("""
                insert into billing_invoice (customer_id, month, number, kind, corrects, currency, subtotal, credits,
                    total, status, finalized_at)
                values (:customer, :month, 'pending-' || gen_random_uuid(), 'CREDIT_NOTE', :corrects, :currency, :amount,
                    0, :amount, 'FINALIZED', :now) returning id
                """)
                .param("customer", customer.id().value())
                .param("month", Date.valueOf(original.month().atDay(1)))
                .param("corrects", invoiceId)
                .param("currency", customer.currency())
                .param("amount", negative)
                .param("now", Timestamp.from(now))
                .query(Long.class).single();
        // its own series (decision 0071), in the year of its issue
        String number = numbers.next(InvoiceNumbers.Series.CREDIT_NOTE, now);
        jdbc.sql("update billing_invoice set number = :number where id = :id").param("number", number).param("id", id)
                .update();
        jdbc.sql("""
                insert into billing_invoice_line (invoice_id, line_no, kind, description, amount, explanation)
                values (:id, 1, 'credit_note', :description, :amount, cast(:explanation as jsonb))
                """)
                .param("id", id)
                .param("description", "Correction of " + original.number() + ": " + reason.strip())
                .param("amount", negative)
                .param("explanation", json.writeValueAsString(Map.of("corrects", original.number(), "reason",
                        reason.strip(), "issuedBy", actor)))
                .update();
        addressee.keep(id, customer.id());
        events.publishEvent(new CreditNoteIssued(id, invoiceId, customer.id(), number));
        return get(customer.id(), id);
    }

    /** The draft of the month in progress, computed from the charges as they stand now. Never stored. */
    @Transactional(readOnly = true)
    public Invoice upcoming(Customer customer) {
        YearMonth month = YearMonth.from(clock.instant().atZone(customer.billingTimeZone()));
        InvoiceDraft draft = preview(customer, month);
        return new Invoice(0, customer.id(), "upcoming", month, Invoice.UPCOMING, customer.currency(), draft.subtotal(),
                draft.credits(), draft.total(), null, null, null, draft.lines());
    }

    /** What a month not yet final would bill if it were finalized now (the calls still open). */
    private InvoiceDraft preview(Customer customer, YearMonth month) {
        List<DayRange> ranges = openRanges(customer.id(), month);
        InvoiceInput base = input(customer, month, charges.openGroups(customer.id(), month.atDay(1), ranges),
                charges.openPerMinuteGroups(customer.id(), month.atDay(1), ranges));
        if (base.commitment() != null && !earlierNotFinal(customer.id(), month).isEmpty()) {
            // a commitment's overage and true-up are computed once the period's earlier months are final
            // (BILLING-RULES §5): until then a draft shows its usage only, never a true-up from a partial period
            base = new InvoiceInput(base.month(), base.currency(), base.periodStart(), base.periodEnd(), base.charges(),
                    base.perMinute(), base.perMinuteTerms(), null, base.grants(), base.callsLink());
        }
        try {
            return taxes.apply(customer, InvoiceCalculator.calculate(withTelephonyDelta(customer, month, base)));
        } catch (BadRequestException unbillableDelta) {
            // a delta that cannot be billed (another currency) fails the finalization, visibly (FAILED with
            // the reason); the draft is still shown, without it
            return taxes.apply(customer, InvoiceCalculator.calculate(base));
        }
    }

    /** Customers whose policy bills the reconciliation delta get it on their invoice. */
    private InvoiceInput withTelephonyDelta(Customer customer, YearMonth month, InvoiceInput input) {
        if (!"BILL_DELTA".equals(reconciliationPolicy(customer.id()))) {
            return input;
        }
        Reconciliation.Report report = reconciliation.report(customer.id(), month, input.periodStart(),
                input.periodEnd());
        List<Reconciliation.Row> differing = report.rows().stream()
                .filter(row -> row.issue().equals("MINUTES_DIFFER") && row.deltaMinutes().signum() > 0).toList();
        BigDecimal minutes = differing.stream().map(Reconciliation.Row::deltaMinutes)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        var price = rateCard.versionAt(input.periodEnd().minusNanos(1))
                .flatMap(version -> version.find("telephony", "twilio", "-", "minute")
                        .map(entry -> new Object[] {entry.unitPrice(), version.label() + ": " + entry.key()}));
        if (minutes.signum() <= 0 || price.isEmpty()) {
            return input;
        }
        String cardCurrency = rateCard.versionAt(input.periodEnd().minusNanos(1)).orElseThrow().currency();
        if (!cardCurrency.equals(customer.currency())) {
            // a USD price on a EUR invoice is wrong money: refuse rather than bill it (or convert silently)
            throw new BadRequestException("the telephony reconciliation delta of " + customer.externalId() + " for "
                    + month + " (" + minutes.toPlainString() + " min) cannot be billed: the rate card's Twilio price is in "
                    + cardCurrency + ", the customer is billed in " + customer.currency()
                    + ". Set its reconciliation policy to FLAG_ONLY to close the month (the delta stays on the reconciliation report)");
        }
        return new InvoiceInput(input.month(), input.currency(), input.periodStart(), input.periodEnd(),
                input.charges(), input.perMinute(), input.perMinuteTerms(), input.commitment(), input.grants(),
                input.callsLink(), new InvoiceInput.TelephonyDelta(minutes, (BigDecimal) price.get()[0],
                        (String) price.get()[1], differing.size()));
    }

    /** FLAG_ONLY (default) or BILL_DELTA. */
    @Transactional(readOnly = true)
    public String reconciliationPolicy(CustomerId customer) {
        return jdbc.sql("select reconciliation_policy from billing_policy where customer_id = :id")
                .param("id", customer.value()).query(String.class).optional().orElse("FLAG_ONLY");
    }

    @Transactional
    public void setReconciliationPolicy(Customer customer, String policy) {
        if (!policy.equals("FLAG_ONLY") && !policy.equals("BILL_DELTA")) {
            throw new BadRequestException("policy must be FLAG_ONLY or BILL_DELTA");
        }
        jdbc.sql("""
                insert into billing_policy (customer_id, reconciliation_policy) values (:id, :policy)
                on conflict (customer_id) do update set reconciliation_policy = excluded.reconciliation_policy
                """).param("id", customer.id().value()).param("policy", policy).update();
    }

    private InvoiceInput input(Customer customer, YearMonth month, List<ChargeGroup> groups,
            List<PerMinuteGroup> perMinute) {
        Instant start = month.atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant();
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant();
        Map<Long, PerMinuteTerms> terms = new HashMap<>();
        for (Contract contract : contracts.contractsOf(customer.id())) {
            if (contract.terms().perMinuteRate() != null) {
                terms.put(contract.id(), new PerMinuteTerms(contract.label(), contract.terms().perMinuteRate(),
                        contract.terms().includedMinutes(), contract.terms().billingIncrementSeconds(),
                        contract.terms().minimumCharge()));
            }
        }
        CommitmentState commitment = contracts.contractAt(customer.id(), end.minusNanos(1))
                .filter(contract -> contract.terms().commitment() != null)
                .map(contract -> commitmentState(customer.id(), month, contract))
                .orElse(null);
        List<GrantBalance> grants = credits.grants(customer.id()).stream()
                .map(g -> new GrantBalance(g.id(), g.balance(), g.priority(), g.effectiveFrom(), g.expiresAt(), g.reason()))
                .toList();
        String link = "calls?customer=" + customer.externalId() + "&";
        return new InvoiceInput(month, customer.currency(), start, end, groups, perMinute, terms, commitment, grants, link);
    }

    private CommitmentState commitmentState(CustomerId customer, YearMonth month, Contract contract) {
        Commitment commitment = contract.terms().commitment();
        int monthsInPeriod = switch (commitment.period()) {
            case MONTH -> 1;
            case QUARTER -> 3;
            case YEAR -> 12;
        };
        int index = (month.getMonthValue() - 1) % monthsInPeriod;
        LocalDate periodStart = month.minusMonths(index).atDay(1);
        Map<String, BigDecimal> ledger = new LinkedHashMap<>();
        jdbc.sql("select kind, coalesce(sum(amount), 0) from billing_commitment_entry "
                        + "where customer_id = :customerId and period_start = :start group by kind")
                .param("customerId", customer.value())
                .param("start", Date.valueOf(periodStart))
                .query((rs, row) -> ledger.put(rs.getString(1), rs.getBigDecimal(2)))
                .list();
        BigDecimal usageBefore = ledger.getOrDefault("USAGE", BigDecimal.ZERO);
        BigDecimal prepaidLeft = ledger.getOrDefault("PREPAID", BigDecimal.ZERO)
                .subtract(ledger.getOrDefault("PREPAID_DRAWN", BigDecimal.ZERO));
        boolean prepaidInvoiced = ledger.containsKey("PREPAID");
        return new CommitmentState(commitment, contract.label(), periodStart,
                commitment.prepaid() ? !prepaidInvoiced : index == 0, index == monthsInPeriod - 1, usageBefore,
                prepaidLeft, contract.terms().overageMultiplier());
    }

    private List<YearMonth> closedMonths(CustomerId customer) {
        return jdbc.sql("select month from billing_invoice where customer_id = :customerId and kind = 'INVOICE' "
                        + "and status = 'FINALIZED'")
                .param("customerId", customer.value())
                .query((rs, row) -> YearMonth.from(rs.getDate(1).toLocalDate()))
                .list();
    }

    /** A customer's invoices, newest first (without lines): final ones, and drafts with their totals as of now. */
    @Transactional(readOnly = true)
    public List<Invoice> invoices(CustomerId customer) {
        return jdbc.sql(SELECT + " where customer_id = :customerId order by month desc, id desc")
                .param("customerId", customer.value())
                .query((rs, row) -> invoice(rs, List.of()))
                .list().stream().map(invoice -> invoice.isDraft() ? current(invoice, false) : invoice).toList();
    }

    /** Every invoice of a month, for finance: only finalized ones (as before drafts existed). */
    @Transactional(readOnly = true)
    public List<Invoice> invoicesOf(YearMonth month) {
        return search(month, null, Invoice.FINALIZED);
    }

    /** Invoices and credit notes of a month, of one customer or all, in one state or any (drafts as of now). */
    @Transactional(readOnly = true)
    public List<Invoice> search(YearMonth month, @Nullable CustomerId customer, @Nullable String status) {
        return jdbc.sql(SELECT + " " + """
                 where month = :month and (cast(:customer as bigint) is null or customer_id = :customer)
                   and (cast(:status as text) is null or status = :status)
                 order by id""")
                .param("month", Date.valueOf(month.atDay(1)))
                .param("customer", customer == null ? null : customer.value())
                .param("status", status)
                .query((rs, row) -> invoice(rs, List.of()))
                .list().stream().map(invoice -> invoice.isDraft() ? current(invoice, false) : invoice).toList();
    }

    /** One invoice of this customer with its lines; another customer's is not found. */
    @Transactional(readOnly = true)
    public Invoice get(CustomerId customer, long id) {
        List<InvoiceLine> lines = jdbc.sql("""
                select kind, description, quantity, unit, unit_price, amount, explanation::text
                from billing_invoice_line where invoice_id = :id order by line_no
                """)
                .param("id", id)
                .query((rs, row) -> new InvoiceLine(LineKind.fromWireName(rs.getString(1)), rs.getString(2),
                        strip(rs.getBigDecimal(3)), rs.getString(4), strip(rs.getBigDecimal(5)), rs.getBigDecimal(6),
                        json.readValue(rs.getString(7), new TypeReference<Map<String, Object>>() { })))
                .list();
        Invoice stored = jdbc.sql(SELECT + " where id = :id and customer_id = :customerId")
                .param("id", id)
                .param("customerId", customer.value())
                .query((rs, row) -> invoice(rs, lines))
                .optional()
                .orElseThrow(() -> new NotFoundException("no invoice " + id));
        return stored.isDraft() ? current(stored, true) : stored;
    }

    /** A draft's lines and totals are those of its open calls now: late calls of the month show at once. */
    private Invoice current(Invoice draft, boolean withLines) {
        Customer customer = customers.get(draft.customerId());
        InvoiceDraft now = preview(customer, draft.month());
        return new Invoice(draft.id(), draft.customerId(), draft.number(), draft.month(), draft.status(),
                draft.currency(), now.subtotal(), now.credits(), now.total(), null, draft.finalizesAt(),
                draft.holdReason(), withLines ? now.lines() : List.of());
    }

    private static final String SELECT = """
            select id, customer_id, number, month, status, currency, subtotal, credits, total, finalized_at,
                finalizes_at, hold_reason
            from billing_invoice""";

    private static Invoice invoice(ResultSet rs, List<InvoiceLine> lines) throws SQLException {
        Timestamp finalizedAt = rs.getTimestamp(10);
        Timestamp finalizesAt = rs.getTimestamp(11);
        return new Invoice(rs.getLong(1), CustomerId.of(rs.getLong(2)), rs.getString(3),
                YearMonth.from(rs.getDate(4).toLocalDate()), rs.getString(5), rs.getString(6), rs.getBigDecimal(7),
                rs.getBigDecimal(8), rs.getBigDecimal(9), finalizedAt == null ? null : finalizedAt.toInstant(),
                finalizesAt == null ? null : finalizesAt.toInstant(), rs.getString(12), lines);
    }

    private static BigDecimal strip(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros();
    }
}
