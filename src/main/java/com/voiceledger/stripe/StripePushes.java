package com.voiceledger.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.InvoiceCreateParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceFinalized;
import com.voiceledger.billing.InvoiceLine;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.Money;
import com.voiceledger.shared.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pushes finalised invoices to Stripe: customer (created once), draft invoice, one invoice item per
 * line in minor units, finalise. Every mutating call carries an idempotency key made of our ids
 * ({@code vl-invoice-42-line-3}), so a push retried after a crash or a failure creates nothing twice.
 */
@Service
public class StripePushes {

    private static final Logger log = LoggerFactory.getLogger(StripePushes.class);

    private final JdbcClient jdbc;
    private final InvoiceService invoices;
    private final CustomerService customers;
    private final StripeProperties properties;
    private final Clock clock;

    StripePushes(JdbcClient jdbc, InvoiceService invoices, CustomerService customers, StripeProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.invoices = invoices;
        this.customers = customers;
        this.properties = properties;
        this.clock = clock;
    }

    /** Queues the push in the closing transaction: a finalised invoice is never forgotten. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(InvoiceFinalized finalized) {
        jdbc.sql("""
                insert into stripe_invoice_push (invoice_id, customer_id, status, updated_at)
                values (:invoice, :customer, 'PENDING', :now) on conflict do nothing
                """)
                .param("invoice", finalized.invoiceId())
                .param("customer", finalized.customerId().value())
                .param("now", Timestamp.from(clock.instant()))
                .update();
    }

    public Optional<InvoicePush> status(long invoiceId) {
        return jdbc.sql(SELECT + " where invoice_id = :id").param("id", invoiceId).query((rs, row) -> push(rs)).optional();
    }

    public List<InvoicePush> failed() {
        return jdbc.sql(SELECT + " where status = 'FAILED' order by updated_at desc").query((rs, row) -> push(rs)).list();
    }

    /** Pushes one invoice now (finance's push or retry). A pushed invoice is left as it is. */
    public InvoicePush push(long invoiceId) {
        InvoicePush current = status(invoiceId).orElseThrow(() -> new NotFoundException("no finalised invoice " + invoiceId));
        if (current.status().equals("PUSHED")) {
            return current;
        }
        if (!properties.pushEnabled()) {
            throw new BadRequestException("Stripe is not configured (set STRIPE_API_KEY)");
        }
        CustomerId customerId = customerOf(invoiceId);
        Invoice invoice = invoices.get(customerId, invoiceId);
        try {
            String stripeInvoiceId = pushToStripe(invoice);
            jdbc.sql("""
                    update stripe_invoice_push set status = 'PUSHED', stripe_invoice_id = :stripeId, error = null,
                        attempts = attempts + 1, updated_at = :now where invoice_id = :id
                    """)
                    .param("stripeId", stripeInvoiceId).param("now", Timestamp.from(clock.instant()))
                    .param("id", invoiceId).update();
        } catch (StripeException | RuntimeException e) {
            log.warn("Stripe push of invoice {} failed", invoice.number(), e);
            jdbc.sql("""
                    update stripe_invoice_push set status = 'FAILED', error = :error, attempts = attempts + 1,
                        updated_at = :now where invoice_id = :id
                    """)
                    .param("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .param("now", Timestamp.from(clock.instant())).param("id", invoiceId).update();
        }
        return status(invoiceId).orElseThrow();
    }

    /** Pushes queued invoices when Stripe is configured. Failed ones wait for finance's retry. */
    @Scheduled(fixedDelayString = "${voiceledger.stripe.push-poll:10s}", initialDelayString = "${voiceledger.stripe.push-poll-start:20s}")
    public void pushPending() {
        if (!properties.pushEnabled()) {
            return;
        }
        for (Long invoiceId : jdbc.sql("select invoice_id from stripe_invoice_push where status = 'PENDING' "
                + "order by invoice_id limit 100").query(Long.class).list()) {
            push(invoiceId);
        }
    }

    private String pushToStripe(Invoice invoice) throws StripeException {
        StripeClient stripe = client();
        String customer = stripeCustomer(stripe, invoice.customerId());
        String prefix = "vl-invoice-" + invoice.id();
        com.stripe.model.Invoice draft = stripe.v1().invoices().create(InvoiceCreateParams.builder()
                .setCustomer(customer)
                .setCurrency(invoice.currency().toLowerCase())
                .setAutoAdvance(false)
                .setCollectionMethod(InvoiceCreateParams.CollectionMethod.SEND_INVOICE)
                .setDaysUntilDue(30L)
                .setDescription("VoiceLedger " + invoice.number() + " (" + invoice.month() + ")")
                .putMetadata("voiceledger_invoice_id", Long.toString(invoice.id()))
                .putMetadata("voiceledger_invoice_number", invoice.number())
                .build(), idempotency(prefix));
        int lineNo = 0;
        for (InvoiceLine line : invoice.lines()) {
            lineNo++;
            long amount = Money.minorUnits(line.amount(), invoice.currency());
            if (amount == 0) {
                continue;
            }
            stripe.v1().invoiceItems().create(InvoiceItemCreateParams.builder()
                    .setCustomer(customer)
                    .setInvoice(draft.getId())
                    .setAmount(amount)
                    .setCurrency(invoice.currency().toLowerCase())
                    .setDescription(line.description())
                    .putMetadata("voiceledger_invoice_id", Long.toString(invoice.id()))
                    .putMetadata("voiceledger_line", Integer.toString(lineNo))
                    .putMetadata("kind", line.kind().wireName())
                    .build(), idempotency(prefix + "-line-" + lineNo));
        }
        stripe.v1().invoices().finalizeInvoice(draft.getId(), idempotency(prefix + "-finalize"));
        return draft.getId();
    }

    private String stripeCustomer(StripeClient stripe, CustomerId customerId) throws StripeException {
        Optional<String> known = jdbc.sql("select stripe_customer_id from stripe_customer where customer_id = :id")
                .param("id", customerId.value()).query(String.class).optional();
        if (known.isPresent()) {
            return known.get();
        }
        com.voiceledger.customer.Customer customer = customers.get(customerId);
        Customer created = stripe.v1().customers().create(CustomerCreateParams.builder()
                .setName(customer.name())
                .putMetadata("voiceledger_customer", customer.externalId())
                .build(), idempotency("vl-customer-" + customerId.value()));
        jdbc.sql("insert into stripe_customer (customer_id, stripe_customer_id) values (:id, :stripeId) on conflict do nothing")
                .param("id", customerId.value()).param("stripeId", created.getId()).update();
        return created.getId();
    }

    private StripeClient client() {
        StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(properties.apiKey())
                .setMaxNetworkRetries(2);
        if (properties.apiBase() != null && !properties.apiBase().isBlank()) {
            builder.setApiBase(properties.apiBase());
        }
        return builder.build();
    }

    private static RequestOptions idempotency(String key) {
        return RequestOptions.builder().setIdempotencyKey(key).build();
    }

    private CustomerId customerOf(long invoiceId) {
        return CustomerId.of(jdbc.sql("select customer_id from stripe_invoice_push where invoice_id = :id")
                .param("id", invoiceId).query(Long.class).single());
    }

    private static final String SELECT = """
            select invoice_id, status, stripe_invoice_id, attempts, error, payment_status, updated_at
            from stripe_invoice_push""";

    private static InvoicePush push(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new InvoicePush(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                rs.getString(6), rs.getTimestamp(7).toInstant());
    }
}
