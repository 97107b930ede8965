package com.voiceledger.usage.internal;

import com.voiceledger.customer.AttributionAdded;
import com.voiceledger.customer.CustomerCreated;
import com.voiceledger.customer.CallOwnerHints;
import com.voiceledger.jobs.JobFailures;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.usage.CallsAttributed;
import org.springframework.context.ApplicationEventPublisher;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives unattributed calls (and their components) their customer as soon as a mapping or a customer
 * with a matching external id appears: in the same transaction as the mapping, and again by a
 * periodic sweep for a call that raced the mapping's commit.
 */
@Component
class CallAttributor {

    private static final Logger log = LoggerFactory.getLogger(CallAttributor.class);

    private final JdbcClient jdbc;
    private final CustomerService customers;
    private final TransactionTemplate transactions;

    private final ApplicationEventPublisher events;

    static final String SWEEP = "attribution sweep";

    private final JobFailures failures;

    CallAttributor(JdbcClient jdbc, CustomerService customers, PlatformTransactionManager transactionManager,
            ApplicationEventPublisher events, JobFailures failures) {
        this.failures = failures;
        this.jdbc = jdbc;
        this.events = events;
        this.customers = customers;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @EventListener
    @Transactional
    void on(AttributionAdded added) {
        String column = switch (added.type()) {
            case ASSISTANT_ID -> "assistant_id";
            case PHONE_NUMBER_ID -> "phone_number_id";
            case ORG_ID -> "org_id";
        };
        int calls = attribute(added.customerId(), column, added.value());
        if (calls > 0) {
            log.info("Attributed {} call(s) by {} {} to customer {}", calls, added.type().wireName(), added.value(),
                    added.customerId());
        }
    }

    @EventListener
    @Transactional
    void on(CustomerCreated created) {
        attribute(created.customerId(), "attribution_key", created.externalId());
    }

    /** Catches calls recorded while a mapping was being added (they could not see it yet). */
    @Scheduled(fixedDelayString = "${voiceledger.attribution.sweep-interval:60s}", initialDelayString = "30s")
    public void sweep() {
        List<CallOwnerHints> pending = jdbc.sql("""
                select distinct attribution_key, assistant_id, phone_number_id, org_id
                from usage_call where customer_id is null limit 1000
                """)
                .query((rs, row) -> new CallOwnerHints(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4)))
                .list();
        for (CallOwnerHints hints : pending) {
            // one group's failure (its data, a bug) must not end the sweep: the sweep reads the same groups
            // first every time, so the groups behind it would never be attributed
            failures.isolate(SWEEP, subject(hints), () -> customers.resolveOwner(hints)
                    .ifPresent(owner -> transactions.executeWithoutResult(status -> {
                        int calls = attribute(owner, hints);
                        log.info("Attribution sweep gave {} call(s) to customer {}", calls, owner);
                    })));
        }
    }

    static String subject(CallOwnerHints hints) {
        return "unattributed calls (assistant " + hints.assistantId() + ", phone number " + hints.phoneNumberId()
                + ", metadata customer " + hints.metadataCustomerKey() + ", org " + hints.orgId() + ")";
    }

    private int attribute(CustomerId customerId, CallOwnerHints hints) {
        return jdbc.sql("""
                with calls as (
                    update usage_call set customer_id = :customerId
                    where customer_id is null
                      and attribution_key is not distinct from :key and assistant_id is not distinct from :assistantId
                      and phone_number_id is not distinct from :phoneNumberId and org_id is not distinct from :orgId
                    returning id, call_time
                )
                select count(*), min(call_time) from calls
                """)
                .param("customerId", customerId.value())
                .param("key", hints.metadataCustomerKey())
                .param("assistantId", hints.assistantId())
                .param("phoneNumberId", hints.phoneNumberId())
                .param("orgId", hints.orgId())
                .query((rs, row) -> announce(customerId, rs))
                .single();
    }

    private int attribute(CustomerId customerId, String column, String value) {
        // column comes from the switch above, never from input.
        return jdbc.sql("""
                with calls as (
                    update usage_call set customer_id = :customerId
                    where customer_id is null and %s = :value
                    returning id, call_time
                )
                select count(*), min(call_time) from calls
                """.formatted(column))
                .param("customerId", customerId.value())
                .param("value", value)
                .query((rs, row) -> announce(customerId, rs))
                .single();
    }

    /** Tells rating (in this transaction) that these calls now have an owner to be priced for. */
    private int announce(CustomerId customerId, java.sql.ResultSet rs) throws java.sql.SQLException {
        int calls = rs.getInt(1);
        if (calls > 0) {
            events.publishEvent(new CallsAttributed(customerId, calls, rs.getTimestamp(2).toInstant()));
        }
        return calls;
    }
}
