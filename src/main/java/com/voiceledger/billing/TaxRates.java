package com.voiceledger.billing;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.customer.BillingDetailsService;
import com.voiceledger.customer.Customer;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.Money;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each customer's configured tax rate (decision 0079), set by finance and audited, and the tax line it puts on the
 * customer's invoices (drafts as they are computed, final ones once, at finalization).
 */
@Service
public class TaxRates {

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final BillingDetailsService details;
    private final InvoiceIssuer issuer;

    TaxRates(JdbcClient jdbc, AuditLog audit, Clock clock, BillingDetailsService details, InvoiceIssuer issuer) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.details = details;
        this.issuer = issuer;
    }

    @Transactional(readOnly = true)
    public Optional<TaxRule.Rate> of(CustomerId customer) {
        return jdbc.sql("select rate, label from billing_tax_rate where customer_id = :customer")
                .param("customer", customer.value())
                .query((rs, row) -> new TaxRule.Rate(rs.getBigDecimal(1).stripTrailingZeros(), rs.getString(2)))
                .optional();
    }

    /** Sets (or, with a null rate, removes) the customer's rate; invoices finalized from now on use it. Audited. */
    @Transactional
    public Optional<TaxRule.Rate> set(CustomerId customer, @Nullable BigDecimal rate, @Nullable String label, String by) {
        Optional<TaxRule.Rate> before = of(customer);
        if (rate == null) {
            jdbc.sql("delete from billing_tax_rate where customer_id = :customer").param("customer", customer.value())
                    .update();
        } else {
            if (rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) >= 0 || rate.scale() > 6) {
                throw new BadRequestException("rate is a fraction from 0 to below 1 with at most 6 decimals "
                        + "(0.19 for 19%), not " + rate.toPlainString());
            }
            String name = label == null || label.isBlank()
                    ? "Tax " + rate.movePointRight(2).stripTrailingZeros().toPlainString() + "%" : label.strip();
            if (name.length() > 60 || name.chars().anyMatch(Character::isISOControl)) {
                throw new BadRequestException("label: at most 60 characters, no control characters");
            }
            jdbc.sql("""
                    insert into billing_tax_rate (customer_id, rate, label, changed_by, changed_at)
                    values (:customer, :rate, :label, :by, :at)
                    on conflict (customer_id) do update set rate = excluded.rate, label = excluded.label,
                        changed_by = excluded.changed_by, changed_at = excluded.changed_at
                    """)
                    .param("customer", customer.value()).param("rate", rate).param("label", name).param("by", by)
                    .param("at", Timestamp.from(clock.instant())).update();
        }
        Optional<TaxRule.Rate> after = of(customer);
        Map<String, Object> change = new HashMap<>();
        change.put("before", before.orElse(null));
        change.put("after", after.orElse(null));
        audit.record(by, "billing.tax-rate", "customer " + customer,
                after.map(r -> "tax rate " + r.rate().toPlainString() + " (" + r.label() + ")").orElse("no tax rate"),
                change);
        return after;
    }

    /** The draft with its tax line (if the customer has a rate) and a total that includes it. */
    InvoiceDraft apply(Customer customer, InvoiceDraft draft) {
        Optional<InvoiceLine> tax = TaxRule.line(draft.subtotal().add(draft.credits()), draft.currency(),
                of(customer.id()).orElse(null), details.of(customer.id()).orElse(null), issuer.issuerCountry());
        if (tax.isEmpty()) {
            return draft;
        }
        List<InvoiceLine> lines = new ArrayList<>(draft.lines());
        lines.add(tax.get());
        return new InvoiceDraft(draft.month(), draft.currency(), lines, draft.subtotal(), draft.credits(),
                Money.round(draft.total().add(tax.get().amount()), draft.currency()), draft.creditUses(),
                draft.commitmentMoves());
    }
}
