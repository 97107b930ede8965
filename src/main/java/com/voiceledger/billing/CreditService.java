package com.voiceledger.billing;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.customer.Customer;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.Money;
import com.voiceledger.shared.NotFoundException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Prepaid credit grants as an append-only ledger: granting writes a GRANTED entry, an invoice an
 * APPLIED one, voiding a VOIDED one. Nothing is ever updated; a balance is a sum.
 */
@Service
public class CreditService {

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    CreditService(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public CreditGrant grant(Customer customer, @Nullable BigDecimal amount, @Nullable Instant effectiveFrom,
            @Nullable Instant expiresAt, @Nullable Integer priority, @Nullable String reason, String actor) {
        if (amount == null || amount.signum() <= 0) {
            throw new BadRequestException("amount must be more than 0");
        }
        if (Money.round(amount, customer.currency()).compareTo(amount) != 0) {
            throw new BadRequestException("amount has more decimals than " + customer.currency() + " allows");
        }
        Instant now = clock.instant();
        Instant from = effectiveFrom == null ? now : effectiveFrom;
        if (expiresAt != null && !expiresAt.isAfter(from)) {
            throw new BadRequestException("expiresAt must be after effectiveFrom");
        }
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a reason is required: it goes to the audit log and the invoice");
        }
        long id = jdbc.sql("""
                insert into billing_credit_grant (customer_id, amount, currency, effective_from, expires_at, priority,
                    reason, created_by, created_at)
                values (:customerId, :amount, :currency, :from, :expires, :priority, :reason, :actor, :now) returning id
                """)
                .param("customerId", customer.id().value())
                .param("amount", amount)
                .param("currency", customer.currency())
                .param("from", Timestamp.from(from))
                .param("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .param("priority", priority == null ? 100 : priority)
                .param("reason", reason.strip())
                .param("actor", actor)
                .param("now", Timestamp.from(now))
                .query(Long.class)
                .single();
        entry(id, customer.id(), "GRANTED", amount, null, "granted by " + actor, now);
        audit.record(actor, "credit granted", "customer " + customer.externalId(), reason,
                Map.of("grant", id, "amount", amount.toPlainString(), "currency", customer.currency()));
        return grants(customer.id()).stream().filter(g -> g.id() == id).findFirst().orElseThrow();
    }

    /**
     * Voids a grant that no invoice has used yet: an entry taking its whole balance, not an edit. The
     * grant's row is locked first, so a close applying it (which locks the customer's grants) or a
     * second void waits, and then sees what was done.
     */
    @Transactional
    public CreditGrant voidGrant(Customer customer, long grantId, @Nullable String reason, String actor) {
        jdbc.sql("select id from billing_credit_grant where id = :id and customer_id = :customerId for update")
                .param("id", grantId).param("customerId", customer.id().value()).query(Long.class).list();
        CreditGrant grant = grants(customer.id()).stream().filter(g -> g.id() == grantId).findFirst()
                .orElseThrow(() -> new NotFoundException("no credit grant " + grantId));
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a reason is required to void a grant");
        }
        if (grant.entries().stream().anyMatch(e -> !e.kind().equals("GRANTED"))) {
            throw new BadRequestException("grant " + grantId + " has been used or voided already; corrections are credit notes");
        }
        entry(grantId, customer.id(), "VOIDED", grant.balance().negate(), null, "voided by " + actor + ": " + reason.strip(),
                clock.instant());
        audit.record(actor, "credit voided", "customer " + customer.externalId(), reason,
                Map.of("grant", grantId, "amount", grant.balance().toPlainString()));
        return grants(customer.id()).stream().filter(g -> g.id() == grantId).findFirst().orElseThrow();
    }

    /** A customer's grants with their ledgers, newest first. */
    @Transactional(readOnly = true)
    public List<CreditGrant> grants(CustomerId customer) {
        Map<Long, List<CreditGrant.Entry>> entries = new HashMap<>();
        jdbc.sql("select id, grant_id, at, kind, amount, invoice_id, note from billing_credit_entry "
                        + "where customer_id = :customerId order by at, id")
                .param("customerId", customer.value())
                .query((rs, row) -> {
                    long invoice = rs.getLong(6);
                    entries.computeIfAbsent(rs.getLong(2), key -> new ArrayList<>()).add(new CreditGrant.Entry(
                            rs.getLong(1), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getBigDecimal(5),
                            rs.wasNull() ? null : invoice, rs.getString(7)));
                    return row;
                })
                .list();
        return jdbc.sql("""
                select id, customer_id, amount, currency, effective_from, expires_at, priority, reason, created_by,
                    created_at from billing_credit_grant where customer_id = :customerId order by created_at desc, id desc
                """)
                .param("customerId", customer.value())
                .query((rs, row) -> {
                    List<CreditGrant.Entry> ledger = entries.getOrDefault(rs.getLong(1), List.of());
                    Timestamp expires = rs.getTimestamp(6);
                    return new CreditGrant(rs.getLong(1), CustomerId.of(rs.getLong(2)), rs.getBigDecimal(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant(), expires == null ? null : expires.toInstant(),
                            rs.getInt(7), rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant(),
                            ledger.stream().map(CreditGrant.Entry::amount).reduce(BigDecimal.ZERO, BigDecimal::add),
                            ledger);
                })
                .list();
    }

    /** Holds off voids of the customer's grants until the close that calls this commits. */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    void lockGrants(CustomerId customer) {
        jdbc.sql("select id from billing_credit_grant where customer_id = :customerId order by id for update")
                .param("customerId", customer.value()).query(Long.class).list();
    }

    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    void apply(long grantId, CustomerId customer, BigDecimal amount, long invoiceId, String invoiceNumber) {
        entry(grantId, customer, "APPLIED", amount.negate(), invoiceId, "applied to invoice " + invoiceNumber,
                clock.instant());
    }

    private void entry(long grantId, CustomerId customer, String kind, BigDecimal amount, @Nullable Long invoiceId,
            String note, Instant at) {
        jdbc.sql("""
                insert into billing_credit_entry (grant_id, customer_id, at, kind, amount, invoice_id, note)
                values (:grant, :customerId, :at, :kind, :amount, :invoice, :note)
                """)
                .param("grant", grantId)
                .param("customerId", customer.value())
                .param("at", Timestamp.from(at))
                .param("kind", kind)
                .param("amount", amount)
                .param("invoice", invoiceId)
                .param("note", note)
                .update();
    }
}
