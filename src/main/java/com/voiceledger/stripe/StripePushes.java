package com.voiceledger.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.InvoiceItem;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.InvoiceCreateParams;
import com.stripe.param.CustomerSearchParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.InvoiceItemListParams;
import com.stripe.param.InvoiceListParams;
import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceDocuments;
import com.voiceledger.billing.InvoiceFinalized;
import com.voiceledger.billing.InvoiceLine;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.customer.BillingDetails;
import com.voiceledger.customer.BillingDetailsService;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.Money;
import com.voiceledger.shared.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.voiceledger.jobs.JobFailures;
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
 * ({@code vl-invoice-42-line-3}), and every step first looks for what Stripe already has (stored ids, our
 * metadata), so a push retried at any time — also after Stripe forgot the keys (~24 h) — creates nothing
 * twice. Decision 0032.
 */
@Service
public class StripePushes {

    private static final Logger log = LoggerFactory.getLogger(StripePushes.class);
    /** How long a claim keeps others off a push: far longer than a push takes (timeouts × requests). */
    static final Duration CLAIM_LEASE = Duration.ofMinutes(10);
    /** Failed pushes the schedule retries by itself; after that, finance's retry. */
    static final int MAX_SCHEDULED_ATTEMPTS = 8;
    static final String INVOICE_METADATA = "voiceledger_invoice_id";
    static final String LINE_METADATA = "voiceledger_line";
    static final String CUSTOMER_METADATA = "voiceledger_customer";

    private final JdbcClient jdbc;
    private final InvoiceService invoices;
    private final CustomerService customers;
    private final StripeProperties properties;
    private final Clock clock;
    private final PaymentStatuses payments;
    private final BillingDetailsService billingDetails;
    private final InvoiceDocuments documents;

    private final JobFailures failures;

    StripePushes(JdbcClient jdbc, InvoiceService invoices, CustomerService customers, StripeProperties properties,
            Clock clock, PaymentStatuses payments, BillingDetailsService billingDetails, InvoiceDocuments documents,
            JobFailures failures) {
        this.failures = failures;
        this.billingDetails = billingDetails;
        this.documents = documents;
        this.payments = payments;
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

    /**
     * Pushes one invoice now (finance's push or retry). A pushed invoice is left as it is; one being pushed
     * right now by another instance or request is left to it (its current state is returned).
     */
    public InvoicePush push(long invoiceId) {
        InvoicePush current = status(invoiceId).orElseThrow(() -> new NotFoundException("no finalised invoice " + invoiceId));
        if (current.status().equals("PUSHED")) {
            return current;
        }
        if (!properties.pushEnabled()) {
            throw new BadRequestException("Stripe is not configured (set STRIPE_API_KEY)");
        }
        int claimed = jdbc.sql("""
                update stripe_invoice_push set claimed_until = :leaseEnd
                where invoice_id = :id and status <> 'PUSHED' and (claimed_until is null or claimed_until < :now)
                """)
                .param("leaseEnd", Timestamp.from(clock.instant().plus(CLAIM_LEASE)))
                .param("now", Timestamp.from(clock.instant())).param("id", invoiceId).update();
        if (claimed == 0) {
            return status(invoiceId).orElseThrow();
        }
        return pushClaimed(invoiceId);
    }

    /**
     * Pushes queued invoices, and failed ones again after a backoff, when Stripe is configured. Each is
     * claimed first (for update skip locked, then a lease), so with several instances one of them pushes it.
     */
    @Scheduled(fixedDelayString = "${voiceledger.stripe.push-poll:10s}", initialDelayString = "${voiceledger.stripe.push-poll-start:20s}")
    public void pushPending() {
        if (!properties.pushEnabled()) {
            return;
        }
        // each an item of its own: payments that cannot be applied must not stop the pushes, nor one invoice
        // whose push throws before its outcome is recorded (it keeps its claim until the lease ends) the others
        failures.isolate("stripe payments", "payments waiting for their invoice", payments::applyWaiting);
        failures.isolate("stripe customers", "billing details changed since their last push", this::syncChangedDetails);
        for (int pushed = 0; pushed < 100; pushed++) {
            Optional<Long> claimed = jdbc.sql("""
                    update stripe_invoice_push set claimed_until = :leaseEnd where invoice_id = (
                        select invoice_id from stripe_invoice_push
                        where (status = 'PENDING' or (status = 'FAILED' and attempts < :maxAttempts
                                and next_attempt_at <= :now))
                            and (claimed_until is null or claimed_until < :now)
                        order by invoice_id limit 1 for update skip locked)
                    returning invoice_id
                    """)
                    .param("leaseEnd", Timestamp.from(clock.instant().plus(CLAIM_LEASE)))
                    .param("maxAttempts", MAX_SCHEDULED_ATTEMPTS)
                    .param("now", Timestamp.from(clock.instant())).query(Long.class).optional();
            if (claimed.isEmpty()) {
                return;
            }
            long invoiceId = claimed.get();
            failures.isolate("stripe pushes", "invoice " + invoiceId, () -> pushClaimed(invoiceId));
        }
    }

    /** Pushes an invoice this instance has claimed; records the outcome and lets the claim go. */
    private InvoicePush pushClaimed(long invoiceId) {
        CustomerId customerId = customerOf(invoiceId);
        Invoice invoice = invoices.get(customerId, invoiceId);
        try {
            String stripeInvoiceId = pushToStripe(invoice);
            jdbc.sql("""
                    update stripe_invoice_push set status = 'PUSHED', stripe_invoice_id = :stripeId, error = null,
                        attempts = attempts + 1, updated_at = :now, claimed_until = null where invoice_id = :id
                    """)
                    .param("stripeId", stripeInvoiceId).param("now", Timestamp.from(clock.instant()))
                    .param("id", invoiceId).update();
        } catch (StripeException | RuntimeException e) {
            log.warn("Stripe push of invoice {} failed", invoice.number(), e);
            // never backwards: a push another request finished in between stays PUSHED
            jdbc.sql("""
                    update stripe_invoice_push set status = case when status = 'PUSHED' then status else 'FAILED' end,
                        error = case when status = 'PUSHED' then error else :error end, attempts = attempts + 1,
                        next_attempt_at = :next, updated_at = :now, claimed_until = null where invoice_id = :id
                    """)
                    .param("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .param("next", Timestamp.from(clock.instant().plus(backoff(status(invoiceId).orElseThrow().attempts()))))
                    .param("now", Timestamp.from(clock.instant())).param("id", invoiceId).update();
        }
        return status(invoiceId).orElseThrow();
    }

    /** 1 min, 2 min, 4 min, … doubling per failed attempt, at most 2^9 min (8.5 h). */
    static Duration backoff(int attemptsBefore) {
        return Duration.ofMinutes(1L << Math.min(attemptsBefore, 9));
    }

    /**
     * Each step first finds what Stripe already has for this invoice — the draft and items we stored, else
     * what Stripe lists for our customer with our invoice id in its metadata — and creates only what is
     * missing. Idempotency keys still cover a retry within Stripe's ~24 h; this covers any time after.
     */
    private String pushToStripe(Invoice invoice) throws StripeException {
        StripeClient stripe = client();
        String customer = stripeCustomer(stripe, invoice.customerId());
        syncDetails(stripe, invoice.customerId(), customer);
        String prefix = "vl-invoice-" + invoice.id();
        // printed on Stripe's invoice as on ours: the details kept when ours was finalized, so a retry sends the
        // same parameters under the same idempotency key
        Optional<BillingDetails> addressee = documents.billingDetails(invoice);
        Optional<com.stripe.model.Invoice> existing = existingDraft(stripe, customer, invoice.id());
        com.stripe.model.Invoice draft;
        if (existing.isPresent()) {
            draft = existing.get();
        } else {
            InvoiceCreateParams.Builder params = InvoiceCreateParams.builder();
            addressee.map(BillingDetails::purchaseOrder).ifPresent(po -> params.addCustomField(
                    InvoiceCreateParams.CustomField.builder().setName("Purchase order").setValue(po).build()));
            addressee.map(BillingDetails::taxId).ifPresent(taxId -> params.addCustomField(
                    InvoiceCreateParams.CustomField.builder().setName("Customer tax id").setValue(taxId).build()));
            draft = stripe.v1().invoices().create(params
                    .setCustomer(customer)
                    .setCurrency(invoice.currency().toLowerCase())
                    .setAutoAdvance(false)
                    .setCollectionMethod(InvoiceCreateParams.CollectionMethod.SEND_INVOICE)
                    .setDaysUntilDue(30L)
                    .setDescription("VoiceLedger " + invoice.number() + " (" + invoice.month() + ")")
                    .putMetadata(INVOICE_METADATA, Long.toString(invoice.id()))
                    .putMetadata("voiceledger_invoice_number", invoice.number())
                    .build(), idempotency(prefix));
        }
        link(invoice.id(), draft.getId());
        if (!"draft".equals(draft.getStatus())) {
            return draft.getId(); // finalised by an earlier attempt whose answer was lost
        }
        Map<Integer, String> items = existing.isPresent() ? existingItems(stripe, invoice.id(), draft.getId()) : Map.of();
        int lineNo = 0;
        for (InvoiceLine line : invoice.lines()) {
            lineNo++;
            long amount = Money.minorUnits(line.amount(), invoice.currency());
            if (amount == 0 || items.containsKey(lineNo)) {
                continue;
            }
            InvoiceItem item = stripe.v1().invoiceItems().create(InvoiceItemCreateParams.builder()
                    .setCustomer(customer)
                    .setInvoice(draft.getId())
                    .setAmount(amount)
                    .setCurrency(invoice.currency().toLowerCase())
                    .setDescription(line.description())
                    .putMetadata(INVOICE_METADATA, Long.toString(invoice.id()))
                    .putMetadata(LINE_METADATA, Integer.toString(lineNo))
                    .putMetadata("kind", line.kind().wireName())
                    .build(), idempotency(prefix + "-line-" + lineNo));
            storeItem(invoice.id(), lineNo, item.getId());
        }
        stripe.v1().invoices().finalizeInvoice(draft.getId(), idempotency(prefix + "-finalize"));
        return draft.getId();
    }

    /** The Stripe invoice made for ours by an earlier attempt: stored, else found by its metadata. */
    private Optional<com.stripe.model.Invoice> existingDraft(StripeClient stripe, String customer, long invoiceId)
            throws StripeException {
        Optional<String> stored = jdbc.sql("select stripe_invoice_id from stripe_invoice_push "
                + "where invoice_id = :id and stripe_invoice_id is not null").param("id", invoiceId).query(String.class).optional();
        if (stored.isPresent()) {
            return Optional.of(stripe.v1().invoices().retrieve(stored.get()));
        }
        // the customer filter of the list is read-after-write consistent (search is not)
        for (com.stripe.model.Invoice candidate : stripe.v1().invoices()
                .list(InvoiceListParams.builder().setCustomer(customer).setLimit(100L).build()).autoPagingIterable()) {
            if (candidate.getMetadata() != null
                    && Long.toString(invoiceId).equals(candidate.getMetadata().get(INVOICE_METADATA))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Line number → Stripe item of the lines an earlier attempt already added to the draft. */
    private Map<Integer, String> existingItems(StripeClient stripe, long invoiceId, String draftId) throws StripeException {
        Map<Integer, String> items = new HashMap<>();
        for (InvoiceItem item : stripe.v1().invoiceItems()
                .list(InvoiceItemListParams.builder().setInvoice(draftId).setLimit(100L).build()).autoPagingIterable()) {
            String line = item.getMetadata() == null ? null : item.getMetadata().get(LINE_METADATA);
            if (line != null && line.matches("\\d+")) {
                items.put(Integer.parseInt(line), item.getId());
                storeItem(invoiceId, Integer.parseInt(line), item.getId());
            }
        }
        return items;
    }

    /** Keeps the draft's id as soon as it exists, and applies payment events that waited for it. */
    private void link(long invoiceId, String stripeInvoiceId) {
        jdbc.sql("update stripe_invoice_push set stripe_invoice_id = :stripeId where invoice_id = :id")
                .param("stripeId", stripeInvoiceId).param("id", invoiceId).update();
        payments.applyWaiting(stripeInvoiceId);
    }

    private void storeItem(long invoiceId, int lineNo, String stripeItemId) {
        jdbc.sql("""
                insert into stripe_invoice_item (invoice_id, line_no, stripe_item_id) values (:id, :line, :item)
                on conflict do nothing
                """).param("id", invoiceId).param("line", lineNo).param("item", stripeItemId).update();
    }

    private String stripeCustomer(StripeClient stripe, CustomerId customerId) throws StripeException {
        Optional<String> known = jdbc.sql("select stripe_customer_id from stripe_customer where customer_id = :id")
                .param("id", customerId.value()).query(String.class).optional();
        if (known.isPresent()) {
            return known.get();
        }
        com.voiceledger.customer.Customer customer = customers.get(customerId);
        // created by an attempt whose answer was lost? (search lags writes by up to a minute: the
        // idempotency key covers that minute, the search every retry after Stripe forgot the key)
        List<Customer> found = stripe.v1().customers().search(CustomerSearchParams.builder()
                .setQuery("metadata['" + CUSTOMER_METADATA + "']:'" + customer.externalId().replace("'", "\\'") + "'")
                .build()).getData();
        String stripeId = found.isEmpty()
                ? stripe.v1().customers().create(CustomerCreateParams.builder()
                        .setName(customer.name())
                        .putMetadata(CUSTOMER_METADATA, customer.externalId())
                        .build(), idempotency("vl-customer-" + customerId.value())).getId()
                : found.getFirst().getId();
        jdbc.sql("insert into stripe_customer (customer_id, stripe_customer_id) values (:id, :stripeId) on conflict do nothing")
                .param("id", customerId.value()).param("stripeId", stripeId).update();
        return stripeId;
    }

    /**
     * Brings Stripe's customer up to date with billing details changed since they were last sent (decision 0077):
     * name, first billing e-mail, address, tax exemption, all e-mails and the tax id in metadata. Setting the same
     * values twice changes nothing, and the key names the version, so a retry at any time is harmless.
     */
    private void syncDetails(StripeClient stripe, CustomerId customerId, String stripeCustomerId) throws StripeException {
        Optional<BillingDetailsService.Versioned> current = billingDetails.versioned(customerId);
        long sent = jdbc.sql("select details_version from stripe_customer where customer_id = :id")
                .param("id", customerId.value()).query(Long.class).optional().orElse(0L);
        if (current.isEmpty() || current.get().version() <= sent) {
            return;
        }
        BillingDetails details = current.get().details();
        BillingDetails.Address address = details.address();
        CustomerUpdateParams.Builder params = CustomerUpdateParams.builder()
                .setName(details.legalName())
                .setAddress(CustomerUpdateParams.Address.builder()
                        .setLine1(address.line1())
                        .setLine2(address.line2() == null ? "" : address.line2())
                        .setCity(address.city())
                        .setPostalCode(address.postalCode() == null ? "" : address.postalCode())
                        .setState(address.region() == null ? "" : address.region())
                        .setCountry(address.country()).build())
                .setTaxExempt(details.taxExempt() ? CustomerUpdateParams.TaxExempt.EXEMPT
                        : CustomerUpdateParams.TaxExempt.NONE)
                .putMetadata("voiceledger_tax_id", details.taxId() == null ? "" : details.taxId())
                .putMetadata("voiceledger_billing_emails", clip(String.join(",", details.billingEmails()), 500));
        if (!details.billingEmails().isEmpty()) {
            params.setEmail(details.billingEmails().getFirst());
        }
        stripe.v1().customers().update(stripeCustomerId, params.build(),
                idempotency("vl-customer-" + customerId.value() + "-details-" + current.get().version()));
        jdbc.sql("update stripe_customer set details_version = greatest(details_version, :version) where customer_id = :id")
                .param("version", current.get().version()).param("id", customerId.value()).update();
    }

    /** Customers Stripe knows whose details changed since they were sent: sent now, each on its own. */
    private void syncChangedDetails() {
        List<Long> changed = jdbc.sql("""
                select s.customer_id from stripe_customer s join customer_billing_details d using (customer_id)
                where d.version > s.details_version order by s.customer_id limit 100
                """).query(Long.class).list();
        if (changed.isEmpty()) {
            return;
        }
        StripeClient stripe = client();
        for (long customer : changed) {
            try {
                String stripeId = jdbc.sql("select stripe_customer_id from stripe_customer where customer_id = :id")
                        .param("id", customer).query(String.class).single();
                syncDetails(stripe, CustomerId.of(customer), stripeId);
            } catch (StripeException | RuntimeException e) {
                log.warn("Sending billing details of customer {} to Stripe failed; tried again next round", customer, e);
            }
        }
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private StripeClient client() {
        return client(properties);
    }

    static StripeClient client(StripeProperties properties) {
        // short timeouts (stripe-java waits 30 s to connect and 80 s to read by default): a push runs on a
        // scheduler thread shared with other jobs, and a failed one is retried on the next round anyway
        StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(properties.apiKey())
                .setMaxNetworkRetries(2).setConnectTimeout(5_000).setReadTimeout(20_000);
        if (properties.apiBase() != null && !properties.apiBase().isBlank()) {
            builder.setApiBase(properties.apiBase());
        }
        return builder.build();
    }

    static RequestOptions idempotency(String key) {
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
