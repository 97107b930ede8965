package com.voiceledger.rating.internal;

import com.voiceledger.shared.CustomerId;
import java.util.Collection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * One lock per customer's charges, held to the end of the transaction (a PostgreSQL advisory lock,
 * so it works across instances): the month-end close and a re-rating of the same customer take it,
 * so a re-rating never reads "not invoiced" and then writes a call back after a close gave it to an
 * invoice (issue 14, item 2). Several customers are locked in id order, so two holders never wait
 * on each other.
 */
@Component
public class ChargeLocks {

    private final JdbcClient jdbc;

    ChargeLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(Collection<CustomerId> customers) {
        customers.stream().map(CustomerId::value).distinct().sorted().forEach(id ->
                jdbc.sql("select pg_advisory_xact_lock(hashtextextended('voiceledger.charges', :id))")
                        .param("id", id).query((rs, row) -> row).list());
    }
}
