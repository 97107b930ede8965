package com.voiceledger.revenue;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.billing.BillingDocument;
import com.voiceledger.billing.RevenueSources;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.revenue.internal.LockStore;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Revenue recognition on billing's documents: the month's report, its trend, its journal, and month
 * locks. Locked months are read from what was stored when they were locked; open months are computed
 * from the documents each time, by {@link Recognition}.
 */
@Service
public class RevenueService {

    /** A month has ended everywhere once it has ended in the last time zone (UTC−12). */
    static final ZoneOffset LAST_ZONE = ZoneOffset.ofHours(-12);

    private final RevenueSources sources;
    private final CustomerService customers;
    private final LockStore locks;
    private final AuditLog audit;
    private final AccountCodes accounts;
    private final Clock clock;

    RevenueService(RevenueSources sources, CustomerService customers, LockStore locks, AuditLog audit,
            AccountCodes accounts, Clock clock) {
        this.sources = sources;
        this.customers = customers;
        this.locks = locks;
        this.audit = audit;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** The books, the entries recognized up to a month, and the customers by id. */
    private record State(Books books, List<Entry> entries, Map<CustomerId, Customer> customers,
            List<Document> documents) {

        @Nullable YearMonth lockedThrough() {
            return books.lockedThrough();
        }
    }

    private State state(YearMonth upTo) {
        Books books = new Books(locks.lockedThrough().orElse(null), locks.entries());
        Map<CustomerId, Customer> byId = customers.list().stream()
                .collect(Collectors.toMap(Customer::id, Function.identity()));
        List<Document> documents = sources.documentsUpTo(upTo).stream()
                .map(document -> document(document, byId.get(document.customerId())))
                .filter(document -> !document.month().isAfter(upTo))
                .toList();
        return new State(books, books.entriesUpTo(documents, upTo), byId, documents);
    }

    /** Billing's document in revenue's terms (BILLING-RULES §6: categories by line kind). */
    static Document document(BillingDocument source, @Nullable Customer customer) {
        Map<Category, BigDecimal> amounts = new EnumMap<>(Category.class);
        for (BillingDocument.LineSum line : source.lines()) {
            Category category = switch (line.kind()) {
                case USAGE -> Category.USAGE;
                case MINIMUM_CHARGE -> Category.MINIMUM_CHARGE;
                case OVERAGE -> Category.OVERAGE;
                case COMMITMENT_TRUE_UP -> Category.TRUE_UP;
                case LATE_USAGE -> Category.LATE_USAGE;
                case CREDIT -> Category.CREDITS;
                case CREDIT_NOTE -> Category.CREDIT_NOTES;
                case TAX -> Category.TAX;
                case PREPAID_COMMITMENT -> line.amount().signum() >= 0 ? Category.DEFERRED_ADDED
                        : Category.DEFERRED_DRAWN;
            };
            BigDecimal amount = category == Category.DEFERRED_DRAWN ? line.amount().negate() : line.amount();
            amounts.merge(category, amount, BigDecimal::add);
        }
        boolean creditNote = source.kind() == BillingDocument.Kind.CREDIT_NOTE;
        // a credit note is recognized in the month it is issued, in the customer's billing time zone
        YearMonth month = creditNote && customer != null
                ? YearMonth.from(source.finalizedAt().atZone(customer.billingTimeZone())) : source.month();
        Document.PrepaidPeriod period = source.prepaidPeriod() == null ? null
                : new Document.PrepaidPeriod(source.prepaidPeriod().start(), source.prepaidPeriod().lastMonth());
        return new Document(source.id(), source.customerId(), source.currency(), creditNote, source.number(), month,
                amounts, source.amount(), period);
    }

    @Transactional(readOnly = true)
    public RevenueReport report(YearMonth month, @Nullable String customerExternalId) {
        State state = state(month);
        return report(month, state, customerExternalId == null ? null
                : customers.getByExternalId(customerExternalId).id());
    }

    private static RevenueReport report(YearMonth month, State state, @Nullable CustomerId only) {
        Map<CustomerId, List<Entry>> byCustomer = new LinkedHashMap<>();
        Map<String, List<Entry>> byCurrency = new TreeMap<>();
        for (Entry entry : state.entries()) {
            if (only != null && !only.equals(entry.customer())) {
                continue;
            }
            byCustomer.computeIfAbsent(entry.customer(), id -> new ArrayList<>()).add(entry);
            byCurrency.computeIfAbsent(entry.currency(), currency -> new ArrayList<>()).add(entry);
        }
        List<RevenueReport.CustomerRevenue> rows = new ArrayList<>();
        byCustomer.forEach((id, entries) -> {
            Customer customer = state.customers().get(id);
            RollForward figures = RollForward.of(month, entries.getFirst().currency(), entries);
            boolean active = entries.stream().anyMatch(entry -> entry.month().equals(month))
                    || figures.deferred().opening().signum() != 0;
            if (active) {
                rows.add(new RevenueReport.CustomerRevenue(customer == null ? id.toString() : customer.externalId(),
                        customer == null ? id.toString() : customer.name(), figures));
            }
        });
        rows.sort(Comparator.comparing(RevenueReport.CustomerRevenue::name));
        List<RollForward> totals = byCurrency.entrySet().stream()
                .map(entry -> RollForward.of(month, entry.getKey(), entry.getValue())).toList();
        boolean locked = state.lockedThrough() != null && !month.isAfter(state.lockedThrough());
        return new RevenueReport(month, locked, state.lockedThrough(), totals, rows);
    }

    /** The roll-forward of one currency for each of {@code months} months ending with {@code last}, oldest first. */
    @Transactional(readOnly = true)
    public List<RollForward> trend(YearMonth last, int months, String currency) {
        State state = state(last);
        List<Entry> entries = state.entries().stream().filter(entry -> entry.currency().equals(currency)).toList();
        List<RollForward> trend = new ArrayList<>();
        for (int i = months - 1; i >= 0; i--) {
            trend.add(RollForward.of(last.minusMonths(i), currency, entries));
        }
        return trend;
    }

    /** The month's journal entries, balanced (BILLING-RULES §6; accounts from {@link AccountCodes}). */
    @Transactional(readOnly = true)
    public List<Journal.Line> journal(YearMonth month) {
        State state = state(month);
        List<Entry> ofMonth = state.entries().stream().filter(entry -> entry.month().equals(month)).toList();
        return Journal.of(ofMonth, accounts, id -> {
            Customer customer = state.customers().get(id);
            return customer == null ? id.toString() : customer.externalId();
        });
    }

    @Transactional(readOnly = true)
    public @Nullable YearMonth lockedThrough() {
        return locks.lockedThrough().orElse(null);
    }

    /**
     * Locks a month and every earlier open month (decision 0040): what they recognize is stored and never
     * changes; documents finalized later for those months are recognized in the first open month. Refused
     * while the month has not ended everywhere, while an invoice of a month to lock is a draft, held or failed
     * (the refusal lists them), or when a month to lock does not reconcile. Audited.
     */
    @Transactional
    public RevenueReport lock(YearMonth month, String actor, @Nullable String reason) {
        locks.serialize();
        Instant endedEverywhere = month.plusMonths(1).atDay(1).atStartOfDay(LAST_ZONE).toInstant();
        if (clock.instant().isBefore(endedEverywhere)) {
            throw new BadRequestException(month + " has not ended everywhere yet; it can be locked from "
                    + endedEverywhere);
        }
        YearMonth before = locks.lockedThrough().orElse(null);
        if (before != null && !month.isAfter(before)) {
            throw new ConflictException(month + " is already locked (revenue is locked through " + before + ")");
        }
        // an invoice still a draft, held or failed would be recognized in a later month for good (BILLING-RULES §6)
        List<RevenueSources.NotFinal> open = sources.notFinal(before, month);
        if (!open.isEmpty()) {
            throw new ConflictException(month + " cannot be locked while " + open.size() + " invoice"
                    + (open.size() == 1 ? " of it is" : "s of it are") + " not final: " + open.stream()
                            .limit(20).map(i -> i.number() + " (" + i.customer() + ", " + i.month() + ", " + i.status()
                                    + (i.reason() == null ? "" : ": " + i.reason()) + ")")
                            .collect(Collectors.joining("; ")) + (open.size() > 20 ? "; and " + (open.size() - 20)
                            + " more" : "") + ". Finalize them (or wait for their grace period) first");
        }
        State state = state(month);
        List<Entry> toStore = state.books().toLock(state.documents(), month);
        Set<YearMonth> months = toStore.stream().map(Entry::month).collect(Collectors.toCollection(java.util.TreeSet::new));
        months.add(month);
        for (YearMonth locking : months) {
            RevenueReport report = report(locking, state, null);
            if (!report.reconciles()) {
                throw new ConflictException(locking + " does not reconcile to its invoices: "
                        + report.currencies().stream().filter(r -> !r.check().ok())
                                .map(r -> r.currency() + " differs by " + r.check().difference().toPlainString())
                                .collect(Collectors.joining(", ")) + "; it cannot be locked");
            }
        }
        String why = reason == null || reason.isBlank() ? "month-end revenue close" : reason.strip();
        locks.lock(month, toStore, clock.instant(), actor, why);
        RevenueReport report = report(month, state(month), null);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("month", month.toString());
        details.put("previouslyLockedThrough", before == null ? "none" : before.toString());
        details.put("documents", toStore.stream().map(Entry::documentId).distinct().count());
        details.put("recognized", report.currencies().stream()
                .collect(Collectors.toMap(RollForward::currency, r -> r.total().toPlainString())));
        audit.record(actor, "revenue.lock", "revenue " + month, why, details);
        return report;
    }
}
