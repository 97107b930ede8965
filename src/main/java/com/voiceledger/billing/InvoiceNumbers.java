package com.voiceledger.billing;

import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Legal numbers (decision 0071): the next number of the issuing entity's series for the year of the
 * finalization (UTC), taken inside the transaction that finalizes the document. The counter row stays
 * locked until that transaction ends, so concurrent finalizations, on any instance, queue behind it: each
 * gets the next number once the previous one committed, and a finalization that rolls back gives its
 * number back (no gap). Take it as late as possible in the transaction: it serializes finalizations.
 */
@Component
class InvoiceNumbers {

    enum Series { INVOICE, CREDIT_NOTE }

    private final JdbcClient jdbc;
    private final InvoiceNumbering numbering;

    InvoiceNumbers(JdbcClient jdbc, InvoiceNumbering numbering) {
        this.jdbc = jdbc;
        this.numbering = numbering;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    String next(Series series, Instant finalizedAt) {
        int year = finalizedAt.atZone(ZoneOffset.UTC).getYear();
        // the insert makes a year's first number; on conflict the update waits for (and locks) the row
        long next = jdbc.sql("""
                insert into billing_number_series (entity, series, year, last_number)
                values (:entity, :series, :year, 1)
                on conflict (entity, series, year) do update set last_number = billing_number_series.last_number + 1
                returning last_number
                """)
                .param("entity", numbering.entity())
                .param("series", series.name())
                .param("year", year)
                .query(Long.class).single();
        String prefix = series == Series.INVOICE ? numbering.prefix() : numbering.creditNotePrefix();
        return "%s-%d-%06d".formatted(prefix, year, next);
    }
}
