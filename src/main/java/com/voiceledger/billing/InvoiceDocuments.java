package com.voiceledger.billing;

import com.voiceledger.customer.BillingDetails;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.NotFoundException;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A final invoice's PDF, for its customer (another customer's is not found) and for finance (decision 0070). */
@Service
public class InvoiceDocuments {

    private final InvoiceService invoices;
    private final CustomerService customers;
    private final InvoiceIssuer issuer;
    private final JdbcClient jdbc;
    private final InvoiceAddressee addressee;

    InvoiceDocuments(InvoiceService invoices, CustomerService customers, InvoiceIssuer issuer, JdbcClient jdbc,
            InvoiceAddressee addressee) {
        this.addressee = addressee;
        this.invoices = invoices;
        this.customers = customers;
        this.issuer = issuer;
        this.jdbc = jdbc;
    }

    /** The PDF of a final invoice (or credit note) of this customer, with its number for the file name. */
    public record Pdf(String number, byte[] bytes) {
    }

    @Transactional(readOnly = true)
    public Pdf pdf(CustomerId customer, long invoiceId) {
        Invoice invoice = invoices.get(customer, invoiceId);
        Customer owner = customers.get(customer);
        return new Pdf(invoice.number(), InvoicePdf.render(invoice, owner, addressee.of(invoice).orElse(null), issuer));
    }

    /**
     * Whom the invoice is addressed to (decision 0077): for a final one the details kept when it was issued (none
     * if it was issued before the customer had any), for a draft the customer's details as they are now.
     */
    @Transactional(readOnly = true)
    public Optional<BillingDetails> billingDetails(Invoice invoice) {
        return addressee.of(invoice);
    }

    /** Finance: any customer's final invoice by its id. */
    @Transactional(readOnly = true)
    public Pdf pdf(long invoiceId) {
        long customer = jdbc.sql("select customer_id from billing_invoice where id = :id").param("id", invoiceId)
                .query(Long.class).optional().orElseThrow(() -> new NotFoundException("no invoice " + invoiceId));
        return pdf(CustomerId.of(customer), invoiceId);
    }
}
