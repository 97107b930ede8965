package com.voiceledger.usage;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.database.DeferredWrites;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Names of a customer's assistants and phone numbers, shown wherever their ids were
 * (docs/decisions/0044-names-for-assistants.md). A name comes from the platform's payload until a
 * customer admin or finance gives one; ids stay in exports and details.
 */
@Service
public class ResourceNames {

    /** What is named. */
    public enum Kind {
        ASSISTANT("assistant", "assistant_id"), PHONE_NUMBER("phone_number", "phone_number_id");

        final String wire;
        final String column;

        Kind(String wire, String column) {
            this.wire = wire;
            this.column = column;
        }
    }

    /** An assistant or phone number seen on the customer's calls, with its name if it has one. */
    public record Named(Kind kind, String id, @Nullable String name, long calls) {

        /** The name, else the id: what a screen shows. */
        public String label() {
            return name != null ? name : id;
        }
    }

    /** A name from a report, with the batch's other rows; the last report of a batch names it (decision 0048). */
    private static final DeferredWrites.Shape FROM_PAYLOAD = DeferredWrites.Shape.latest(
            "insert into resource_name (customer_id, kind, resource_id, name, source, named_at)", "(?, ?, ?, ?, 'payload', ?)",
            """
            on conflict (customer_id, kind, resource_id) do update set name = excluded.name, named_at = excluded.named_at
            where resource_name.source = 'payload' and resource_name.name <> excluded.name""", 3);

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final DeferredWrites deferred;

    ResourceNames(JdbcClient jdbc, AuditLog audit, Clock clock, DeferredWrites deferred) {
        this.deferred = deferred;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** Keeps the names a newly recorded report carries, in its transaction; a person's name is never replaced. */
    @EventListener
    public void on(CallReported reported) {
        CallIdentity call = reported.call();
        fromPayload(reported.customerId(), Kind.ASSISTANT, call.assistantId(), call.assistantName());
        fromPayload(reported.customerId(), Kind.PHONE_NUMBER, call.phoneNumberId(), call.phoneNumberName());
    }

    private void fromPayload(CustomerId customer, Kind kind, @Nullable String id, @Nullable String name) {
        if (id == null || name == null) {
            return;
        }
        deferred.add(FROM_PAYLOAD, customer.value(), kind.wire, id, name, Timestamp.from(clock.instant()));
    }

    /** Id → name of the customer's named resources of one kind. */
    @Transactional(readOnly = true)
    public Map<String, String> names(CustomerId customer, Kind kind) {
        Map<String, String> names = new HashMap<>();
        jdbc.sql("select resource_id, name from resource_name where customer_id = :customer and kind = :kind")
                .param("customer", customer.value()).param("kind", kind.wire)
                .query((rs, row) -> names.put(rs.getString(1), rs.getString(2))).list();
        return names;
    }

    /** Id → name over every customer (finance's cross-customer pages; ids are the platform's, unique). */
    @Transactional(readOnly = true)
    public Map<String, String> allNames(Kind kind) {
        Map<String, String> names = new HashMap<>();
        jdbc.sql("select resource_id, name from resource_name where kind = :kind order by customer_id")
                .param("kind", kind.wire)
                .query((rs, row) -> names.putIfAbsent(rs.getString(1), rs.getString(2))).list();
        return names;
    }

    /** Every assistant and phone number on the customer's calls, most used first, with its name. */
    @Transactional(readOnly = true)
    public List<Named> seen(CustomerId customer) {
        return List.of(Kind.values()).stream().flatMap(kind -> {
            Map<String, String> names = names(customer, kind);
            return jdbc.sql("select %1$s, count(*) from usage_call where customer_id = :customer and %1$s is not null "
                    .formatted(kind.column) + "group by 1 order by 2 desc, 1")
                    .param("customer", customer.value())
                    .query((rs, row) -> new Named(kind, rs.getString(1), names.get(rs.getString(1)), rs.getLong(2)))
                    .list().stream();
        }).toList();
    }

    /**
     * A person names one of the customer's assistants or phone numbers (blank: back to the id). Only ids
     * on the customer's own calls can be named, so a name never lands on another customer's resource.
     */
    @Transactional
    public void rename(CustomerId customer, Kind kind, String id, @Nullable String name, String by) {
        boolean own = jdbc.sql("select exists (select 1 from usage_call where customer_id = :customer and %s = :id)"
                .formatted(kind.column)).param("customer", customer.value()).param("id", id)
                .query(Boolean.class).single();
        if (!own) {
            throw new BadRequestException("no " + kind.wire.replace('_', ' ') + " '" + id + "' on this customer's calls");
        }
        String cleaned = name == null ? "" : name.strip();
        if (cleaned.length() > 200) {
            throw new BadRequestException("a name has at most 200 characters");
        }
        if (cleaned.isEmpty()) {
            jdbc.sql("delete from resource_name where customer_id = :customer and kind = :kind and resource_id = :id")
                    .param("customer", customer.value()).param("kind", kind.wire).param("id", id).update();
        } else {
            jdbc.sql("""
                    insert into resource_name (customer_id, kind, resource_id, name, source, named_by, named_at)
                    values (:customer, :kind, :id, :name, 'person', :by, :at)
                    on conflict (customer_id, kind, resource_id) do update set name = excluded.name,
                        source = 'person', named_by = excluded.named_by, named_at = excluded.named_at
                    """)
                    .param("customer", customer.value()).param("kind", kind.wire).param("id", id)
                    .param("name", cleaned).param("by", by).param("at", Timestamp.from(clock.instant()))
                    .update();
        }
        audit.record(by, "resource.rename", "customer " + customer + " " + kind.wire + " " + id,
                "named on screen", Map.of("name", cleaned));
    }
}
