package com.voiceledger.billing;

import com.voiceledger.customer.BillingDetails;
import com.voiceledger.customer.BillingDetailsService;
import com.voiceledger.shared.CustomerId;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Whom a document is addressed to (decision 0077): a final invoice or credit note keeps the customer's billing
 * details as they stood when it was issued (kept in the issuing transaction), so its PDF and JSON never change
 * when the customer edits them later; a draft shows them as they are now. A document issued before the customer
 * had any (or before billing details existed) is addressed to the customer's name alone.
 */
@Component
class InvoiceAddressee {

    private final JdbcClient jdbc;
    private final BillingDetailsService details;

    InvoiceAddressee(JdbcClient jdbc, BillingDetailsService details) {
        this.jdbc = jdbc;
        this.details = details;
    }

    /** Keeps the customer's current details with a document being issued (in its transaction). */
    @Transactional(propagation = Propagation.MANDATORY)
    void keep(long documentId, CustomerId customer) {
        details.of(customer).ifPresent(current -> jdbc.sql("""
                insert into billing_invoice_details (invoice_id, details) values (:id, cast(:details as jsonb))
                on conflict do nothing
                """).param("id", documentId).param("details", details.write(current)).update());
    }

    Optional<BillingDetails> of(Invoice invoice) {
        if (!invoice.isFinal()) {
            return details.of(invoice.customerId());
        }
        return jdbc.sql("select details::text from billing_invoice_details where invoice_id = :id")
                .param("id", invoice.id()).query(String.class).optional().map(details::read);
    }
}
