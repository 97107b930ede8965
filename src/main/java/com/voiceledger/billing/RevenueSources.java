package com.voiceledger.billing;

import com.voiceledger.billing.BillingDocument.LineSum;
import com.voiceledger.billing.BillingDocument.PrepaidPeriod;
import com.voiceledger.contract.CommitmentPeriod;
import com.voiceledger.contract.ContractService;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read-only: the issued invoices and credit notes that revenue recognition is computed from (BILLING-RULES
 * §6). It never writes; the revenue module reads billing through this class only.
 */
@Service
public class RevenueSources {

    private final JdbcClient jdbc;
    private final ContractService contracts;
    private final CustomerService customers;

    RevenueSources(JdbcClient jdbc, ContractService contracts, CustomerService customers) {
        this.jdbc = jdbc;
        this.contracts = contracts;
        this.customers = customers;
    }

    /**
     * Which documents count for revenue: the issued ones. Every stored document is finalized today;
     * when drafts are stored too (invoice issuing with a grace period), this stays the one place that says
     * a draft is not revenue.
     */
    static String countsForRevenue() {
        return "i.status = 'FINALIZED'";
    }

    /** An invoice that is not final yet (draft, held or failed): its month cannot be locked (BILLING-RULES §6). */
    public record NotFinal(long invoiceId, String number, String customer, YearMonth month, String status,
            @org.jspecify.annotations.Nullable String reason) {
    }

    /**
     * The invoices of months after {@code after} (none: every month) up to {@code through} that are still a
     * draft, held or failed, oldest month first: locking those months is refused while there is one.
     */
    @Transactional(readOnly = true)
    public List<NotFinal> notFinal(@org.jspecify.annotations.Nullable YearMonth after, YearMonth through) {
        return jdbc.sql("""
                select i.id, i.number, c.external_id, i.month, i.status, i.hold_reason
                from billing_invoice i join customer c on c.id = i.customer_id
                where i.kind = 'INVOICE' and i.status in ('DRAFT', 'HELD', 'FAILED')
                  and i.month <= :through and (cast(:after as date) is null or i.month > :after)
                order by i.month, c.external_id, i.id
                """)
                .param("through", Date.valueOf(through.atDay(1)))
                .param("after", after == null ? null : Date.valueOf(after.atDay(1)))
                .query((rs, row) -> new NotFinal(rs.getLong(1), rs.getString(2), rs.getString(3),
                        YearMonth.from(rs.getDate(4).toLocalDate()), rs.getString(5), rs.getString(6)))
                .list();
    }

    /**
     * Every issued document whose billing month is {@code month} or earlier (credit notes carry the month of
     * the invoice they correct, so this includes every credit note issued up to that month, and later ones).
     */
    @Transactional(readOnly = true)
    public List<BillingDocument> documentsUpTo(YearMonth month) {
        // one statement, so one snapshot: an invoice finalized while this reads is either here with all its
        // lines and its prepaid period, or not here at all (three reads showed it once without its lines)
        Map<CustomerId, ZoneId> zones = new HashMap<>();
        return jdbc.sql("""
                select i.id, i.customer_id, i.kind, i.number, i.month, i.currency, i.subtotal, i.credits, i.finalized_at,
                    (select min(e.period_start) from billing_commitment_entry e
                     where e.invoice_id = i.id and e.kind in ('PREPAID', 'PREPAID_DRAWN')) as prepaid_start,
                    (select string_agg(s.kind || '=' || s.amount, ';' order by s.kind, s.amount)
                     from (select l.kind, sum(l.amount) as amount from billing_invoice_line l
                           where l.invoice_id = i.id group by l.kind, sign(l.amount)) s) as line_sums
                from billing_invoice i where i.month <= :month and %s order by i.finalized_at, i.id
                """.formatted(countsForRevenue()))
                .param("month", Date.valueOf(month.atDay(1)))
                .query((rs, row) -> {
                    long id = rs.getLong(1);
                    CustomerId customer = CustomerId.of(rs.getLong(2));
                    YearMonth billed = YearMonth.from(rs.getDate(5).toLocalDate());
                    Date prepaidStart = rs.getDate(10);
                    PrepaidPeriod period = prepaidStart == null ? null
                            : new PrepaidPeriod(prepaidStart.toLocalDate(),
                                    lastMonth(customer, billed, prepaidStart.toLocalDate(), zones));
                    return new BillingDocument(id, customer, BillingDocument.Kind.valueOf(rs.getString(3)),
                            rs.getString(4), billed, rs.getString(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                            rs.getTimestamp(9).toInstant(), lineSums(rs.getString(11)), period);
                })
                .list();
    }

    /** {@code kind=amount;kind=amount}: a document's lines summed by kind and sign, as the query above writes them. */
    private static List<LineSum> lineSums(@Nullable String encoded) {
        if (encoded == null) {
            return List.of();
        }
        List<LineSum> sums = new ArrayList<>();
        for (String pair : encoded.split(";")) {
            int equals = pair.indexOf('=');
            sums.add(new LineSum(LineKind.fromWireName(pair.substring(0, equals)),
                    new BigDecimal(pair.substring(equals + 1))));
        }
        return sums;
    }

    /**
     * The last month of a prepaid period: its length is that of the commitment in force when the invoice
     * was closed (the end of its month, as {@link InvoiceService} reads it).
     */
    private YearMonth lastMonth(CustomerId customer, YearMonth billed, LocalDate start, Map<CustomerId, ZoneId> zones) {
        ZoneId zone = zones.computeIfAbsent(customer, id -> customers.get(id).billingTimeZone());
        int months = contracts.contractAt(customer, billed.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant()
                        .minusNanos(1))
                .map(contract -> contract.terms().commitment())
                .map(commitment -> months(commitment.period()))
                .orElse(1);
        return YearMonth.from(start).plusMonths(months - 1L);
    }

    private static int months(CommitmentPeriod period) {
        return switch (period) {
            case MONTH -> 1;
            case QUARTER -> 3;
            case YEAR -> 12;
        };
    }
}
