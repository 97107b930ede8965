package com.voiceledger.contract;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.customer.Customer;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.PerTransaction;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds contracts (audited, never edited) and answers "which contract was in force for this customer
 * at this instant?" from an in-memory copy per customer, since rating asks for every call. Each copy
 * is stamped with how many contracts the customer had; before use (once per transaction) the count in
 * the database is checked, so a contract added on another instance is used at once. Contracts are
 * never deleted, so the count only grows, with each commit.
 */
@Service
public class ContractService {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Map<Long, Stamped> cache = new ConcurrentHashMap<>();

    private record Stamped(long count, List<Contract> contracts) {
    }

    /** Per transaction: this customer's contracts, checked current. */
    private record Checked(ContractService service, long customerId) {
    }

    ContractService(JdbcClient jdbc, JsonMapper json, AuditLog audit, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public Contract add(Customer customer, Instant effectiveFrom, @Nullable String currency, ContractTerms terms,
            String reason, String actor) {
        if (effectiveFrom == null) {
            throw new BadRequestException("effectiveFrom is required");
        }
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a reason is required: it goes to the audit log");
        }
        if (currency != null && !currency.isBlank() && !currency.strip().equalsIgnoreCase(customer.currency())) {
            throw new BadRequestException("the contract's currency " + currency.strip().toUpperCase()
                    + " differs from the customer's billing currency " + customer.currency());
        }
        Optional<Contract> sameStart = contractsOf(customer.id()).stream()
                .filter(c -> c.effectiveFrom().equals(effectiveFrom)).findFirst();
        if (sameStart.isPresent()) {
            throw new BadRequestException("contract " + sameStart.get().id() + " already takes effect at " + effectiveFrom
                    + "; effective dates may not overlap (start the new one later)");
        }
        Instant now = clock.instant();
        long id;
        try {
            id = insert(customer, effectiveFrom, terms, reason, actor, now);
        } catch (DuplicateKeyException e) {
            throw new BadRequestException("another contract of " + customer.externalId() + " already takes effect at "
                    + effectiveFrom);
        }
        Contract contract = new Contract(id, customer.id(), effectiveFrom, customer.currency(), terms, reason.strip(),
                actor, now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("contract", id);
        details.put("effectiveFrom", effectiveFrom.toString());
        details.put("terms", terms);
        audit.record(actor, "contract added", "customer " + customer.externalId(), reason, details);
        forgetAfterCommit(customer.id());
        events.publishEvent(new ContractAdded(customer.id(), id, effectiveFrom));
        return contract;
    }

    private long insert(Customer customer, Instant effectiveFrom, ContractTerms terms, String reason, String actor,
            Instant now) {
        return jdbc.sql("""
                insert into contract (customer_id, effective_from, pricing_model, currency, terms, reason, created_by,
                    created_at)
                values (:customerId, :effectiveFrom, :model, :currency, cast(:terms as jsonb), :reason, :actor, :now)
                returning id
                """)
                .param("customerId", customer.id().value())
                .param("effectiveFrom", Timestamp.from(effectiveFrom))
                .param("model", terms.pricingModel().name())
                .param("currency", customer.currency())
                .param("terms", json.writeValueAsString(terms))
                .param("reason", reason.strip())
                .param("actor", actor)
                .param("now", Timestamp.from(now))
                .query(Long.class)
                .single();
    }

    /** A customer's contracts, oldest first. */
    @Transactional(readOnly = true)
    public List<Contract> contractsOf(CustomerId customerId) {
        long key = customerId.value();
        return PerTransaction.get(new Checked(this, key), () -> {
            long count = jdbc.sql("select count(*) from contract where customer_id = :customerId")
                    .param("customerId", key).query(Long.class).single();
            Stamped cached = cache.get(key);
            if (cached != null && cached.count() == count) {
                return cached.contracts();
            }
            List<Contract> read = read(key);
            cache.merge(key, new Stamped(read.size(), read),
                    (old, fresh) -> fresh.count() >= old.count() ? fresh : old);
            return read;
        });
    }

    private List<Contract> read(long customerId) {
        return jdbc.sql("""
                select id, customer_id, effective_from, currency, terms::text, reason, created_by, created_at
                from contract where customer_id = :customerId order by effective_from
                """)
                .param("customerId", customerId)
                .query((rs, row) -> new Contract(rs.getLong(1), CustomerId.of(rs.getLong(2)),
                        rs.getTimestamp(3).toInstant(), rs.getString(4),
                        json.readValue(rs.getString(5), ContractTerms.class), rs.getString(6), rs.getString(7),
                        rs.getTimestamp(8).toInstant()))
                .list();
    }

    /** The contract in force at an instant, if the customer had one then. */
    public Optional<Contract> contractAt(CustomerId customerId, Instant instant) {
        Contract inForce = null;
        for (Contract contract : contractsOf(customerId)) {
            if (!contract.effectiveFrom().isAfter(instant)) {
                inForce = contract;
            }
        }
        return Optional.ofNullable(inForce);
    }

    /** Forgets every customer's copy (the next use reads the database again). */
    public void refresh() {
        cache.clear();
    }

    private void forgetAfterCommit(CustomerId customerId) {
        cache.remove(customerId.value());
        PerTransaction.forget(new Checked(this, customerId.value()));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    cache.remove(customerId.value());
                }
            });
        }
    }
}
