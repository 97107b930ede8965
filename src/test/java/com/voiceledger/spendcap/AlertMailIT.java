package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.Deliveries;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Alerts are mailed through the configured SMTP server (here a local sink that keeps what it receives). */
@IntegrationTest
class AlertMailIT {

    static final List<String> MAILS = new CopyOnWriteArrayList<>();
    static final java.util.concurrent.atomic.AtomicInteger REFUSALS = new java.util.concurrent.atomic.AtomicInteger();
    static final ServerSocket SMTP = startSink();

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getLocalPort());
    }

    @Autowired
    TestFixtures fixtures;
    @Autowired
    SpendCaps spendCaps;
    @Autowired
    Alerts alerts;
    @Autowired
    InvoiceNotices notices;
    @Autowired
    com.voiceledger.billing.InvoiceService invoices;
    @Autowired
    com.voiceledger.billing.InvoiceDocuments documents;
    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @Test
    void anAlertIsMailedOnceToTheCustomersAddress() {
        Customer customer = fixtures.customer("mail-" + UUID.randomUUID().toString().substring(0, 8));
        spendCaps.setAlertEmail(customer, "ops@" + customer.externalId() + ".example");
        assertThat(alerts.raise(customer.id(), YearMonth.of(2026, 11), "SPEND_CAP", 80, "80 % of the cap used"))
                .isTrue();
        // the same threshold again is no new alert
        assertThat(alerts.raise(customer.id(), YearMonth.of(2026, 11), "SPEND_CAP", 80, "80 % of the cap used"))
                .isFalse();
        alerts.mailDue();
        alerts.mailDue();
        // other tests' alerts may be mailed in these rounds too: count this customer's
        assertThat(MAILS).filteredOn(mail -> mail.contains("ops@" + customer.externalId() + ".example"))
                .singleElement().asString().contains("Subject: VoiceLedger alert: spend cap")
                .contains("80 % of the cap used");
        assertThat(alerts.of(customer.id(), 5)).isNotEmpty();
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void aRefusedMailKeepsItsErrorIsLoggedAndIsRetriedOnlyAfterABackoff() {
        Customer customer = fixtures.customer("mail-" + UUID.randomUUID().toString().substring(0, 8));
        spendCaps.setAlertEmail(customer, "refused@" + customer.externalId() + ".example");
        alerts.raise(customer.id(), YearMonth.of(2026, 11), "SPEND_CAP", 50, "50 % of the cap used");
        long alertId = alerts.of(customer.id(), 1).getFirst().id();
        int before = REFUSALS.get();
        alerts.mailDue();
        assertThat(REFUSALS.get()).isEqualTo(before + 1);
        assertThat(jdbc.sql("select email_status || ' ' || email_attempts || ' ' || email_error from spendcap_alert "
                + "where id = :id").param("id", alertId).query(String.class).single())
                .startsWith("PENDING 1 ").contains("550");
        assertThat(alerts.attempts(alertId)).singleElement().asString().startsWith("EMAIL 1 ").contains("550");
        // the next rounds (every 15 s) leave it alone until its backoff (30 s × 2^attempts) is over
        alerts.mailDue();
        alerts.mailDue();
        assertThat(REFUSALS.get()).isEqualTo(before + 1);
        assertThat(jdbc.sql("select email_next_attempt_at > now() + interval '50 seconds' from spendcap_alert where id = :id")
                .param("id", alertId).query(Boolean.class).single()).isTrue();
    }

    @Test
    void anAddressThatIsNoAddressIsRefused() {
        Customer customer = fixtures.customer("mail-" + UUID.randomUUID().toString().substring(0, 8));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spendCaps.setAlertEmail(customer, "not an address"))
                .hasMessageContaining("is not an e-mail address");
    }

    @Test
    void aFinalInvoiceIsMailedWithItsPdfTheSameBytesAsTheDownload() throws Exception {
        Customer customer = fixtures.customer("mail-pdf-" + UUID.randomUUID().toString().substring(0, 8));
        Http.Response contract = new Http(port).post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "2025-05-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "billingIncrementSeconds": 1, "reason": "mail test"}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
        spendCaps.setAlertEmail(customer, "ap@" + customer.externalId() + ".example");
        // a call, so the invoice is not a zero one (those are kept but not announced, BILLING-RULES §5)
        Deliveries.call(port, customer.externalId(), "2025-05-12T15:00:00Z");
        long invoiceId = invoices.close(customer, YearMonth.of(2025, 5)).invoice().id();

        notices.deliverDue();

        List<String> mails = MAILS.stream().filter(mail -> mail.contains("ap@" + customer.externalId() + ".example"))
                .toList();
        assertThat(mails).hasSize(1);
        String mail = mails.getFirst();
        assertThat(mail).contains("is final").contains("Content-Type: application/pdf");
        String attachment = mail.substring(mail.indexOf("Content-Type: application/pdf"));
        attachment = attachment.substring(attachment.indexOf("\n\n") + 2, attachment.indexOf("\n--"));
        byte[] attached = java.util.Base64.getMimeDecoder().decode(attachment.strip());
        assertThat(attached).isEqualTo(documents.pdf(customer.id(), invoiceId).bytes());
        assertThat(notices.status(invoiceId)).isEqualTo("NONE/SENT");
    }

    /** A minimal SMTP server: answers the dialogue and keeps each message with its envelope. */
    private static ServerSocket startSink() {
        try {
            ServerSocket server = new ServerSocket(0);
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket client = server.accept()) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                                StandardCharsets.UTF_8));
                        Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
                        reply(out, "220 sink");
                        StringBuilder mail = new StringBuilder();
                        String line;
                        boolean data = false;
                        while ((line = in.readLine()) != null) {
                            if (data) {
                                if (line.equals(".")) {
                                    data = false;
                                    MAILS.add(mail.toString());
                                    mail.setLength(0);
                                    reply(out, "250 queued");
                                } else {
                                    mail.append(line).append('\n');
                                }
                            } else if (line.toUpperCase().startsWith("EHLO") || line.toUpperCase().startsWith("HELO")) {
                                reply(out, "250 sink");
                            } else if (line.toUpperCase().startsWith("DATA")) {
                                data = true;
                                reply(out, "354 go ahead");
                            } else if (line.toUpperCase().startsWith("RCPT") && line.contains("refused")) {
                                REFUSALS.incrementAndGet();
                                reply(out, "550 no such mailbox");
                            } else if (line.toUpperCase().startsWith("QUIT")) {
                                reply(out, "221 bye");
                                break;
                            } else {
                                mail.append(line).append('\n');
                                reply(out, "250 ok");
                            }
                        }
                    } catch (Exception e) {
                        // next connection
                    }
                }
            });
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reply(Writer out, String line) throws java.io.IOException {
        out.write(line + "\r\n");
        out.flush();
    }
}
