package com.voiceledger.customer;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each customer's billing details (decision 0077): set by finance or by the customer's admins, audited with the
 * details before and after, versioned so that Stripe's copy can be brought up to date. Only finance changes the
 * tax exemption: a customer cannot exempt itself from tax.
 */
@Service
public class BillingDetailsService {

    /** The details with how many times they were changed (1 for the first). */
    public record Versioned(BillingDetails details, long version) {
    }

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;

    BillingDetailsService(JdbcClient jdbc, AuditLog audit, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public Optional<BillingDetails> of(CustomerId customer) {
        return versioned(customer).map(Versioned::details);
    }

    @Transactional(readOnly = true)
    public Optional<Versioned> versioned(CustomerId customer) {
        return jdbc.sql("select details::text, version from customer_billing_details where customer_id = :customer")
                .param("customer", customer.value())
                .query((rs, row) -> new Versioned(read(rs.getString(1)), rs.getLong(2))).optional();
    }

    public BillingDetails read(String stored) {
        return json.readValue(stored, BillingDetails.class);
    }

    public String write(BillingDetails details) {
        return json.writeValueAsString(details);
    }

    /**
     * Stores the details; {@code byFinance} false (a customer admin) keeps the tax exemption as it is and refuses a
     * request to change it. Audited as {@code billing.details} with who, before and after.
     */
    @Transactional
    public BillingDetails set(CustomerId customer, BillingDetails.Form form, String by, boolean byFinance) {
        // one change at a time per customer: the audit's "before" is what this change replaced
        Optional<Versioned> before = jdbc.sql("select details::text, version from customer_billing_details "
                        + "where customer_id = :customer for update")
                .param("customer", customer.value())
                .query((rs, row) -> new Versioned(read(rs.getString(1)), rs.getLong(2))).optional();
        boolean currentExempt = before.map(v -> v.details().taxExempt()).orElse(false);
        if (!byFinance && form.taxExempt() != null && form.taxExempt() != currentExempt) {
            throw new BadRequestException("taxExempt is set by finance (send it unchanged, " + currentExempt
                    + ", or leave it out); ask your account manager with your exemption certificate");
        }
        BillingDetails details = form.toDetails(currentExempt);
        jdbc.sql("""
                insert into customer_billing_details (customer_id, details, version, changed_by, changed_at)
                values (:customer, cast(:details as jsonb), 1, :by, :at)
                on conflict (customer_id) do update set details = excluded.details,
                    version = customer_billing_details.version + 1, changed_by = excluded.changed_by,
                    changed_at = excluded.changed_at
                """)
                .param("customer", customer.value())
                .param("details", write(details))
                .param("by", by)
                .param("at", Timestamp.from(clock.instant()))
                .update();
        Map<String, Object> change = new HashMap<>();
        change.put("before", before.map(Versioned::details).orElse(null));
        change.put("after", details);
        audit.record(by, "billing.details", "customer " + customer,
                before.isEmpty() ? "billing details set" : "billing details changed", change);
        return details;
    }
}
