package com.voiceledger.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.voiceledger.customer.BillingDetails;
import com.voiceledger.customer.BillingDetailsService;
import com.voiceledger.customer.Customer;
import com.voiceledger.security.Role;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.TestFixtures;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Billing details as their users edit them (decision 0077): a customer admin in Settings (the tax exemption shown
 * but not theirs to tick), finance on the customer's 360 page (exemption included); a wrong value is refused and
 * nothing is stored.
 */
class BillingDetailsScreensTest extends KaribuTest {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    BillingDetailsService details;
    @Autowired
    JdbcClient jdbc;

    Customer customer;
    String suffix;

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        customer = fixtures.customer("screens-details-" + suffix);
        users.create("admin-" + suffix, "Ada Admin", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        users.create("fin-" + suffix, "Finn Finance", "password-123", Role.FINANCE_ADMIN, null);
    }

    void fill(BillingDetailsPanel panel) {
        panel.legalName.setValue("Initech Europe B.V.");
        panel.line1.setValue("Keizersgracht 1");
        panel.city.setValue("Amsterdam");
        panel.postalCode.setValue("1015 CJ");
        panel.country.setValue("NL");
        panel.taxId.setValue("NL123456789B01");
        panel.purchaseOrder.setValue("PO-9");
        panel.billingEmails.setValue("ap@initech.example, finance@initech.example");
    }

    @Test
    void aCustomerAdminSavesTheDetailsInSettingsButCannotTickTheTaxExemption() {
        loginAs("admin-" + suffix);
        UI.getCurrent().navigate("settings");
        BillingDetailsPanel panel = _get(BillingDetailsPanel.class);
        assertThat(panel.legalName.getValue()).as("starts from the customer's name").isEqualTo(customer.name());
        assertThat(panel.taxExempt.isEnabled()).isFalse();

        fill(panel);
        panel.country.setValue("Netherlands");
        _click(panel.save);
        assertThat(details.of(customer.id())).as("a wrong country is refused").isEmpty();

        panel.country.setValue("nl");
        _click(panel.save);
        BillingDetails saved = details.of(customer.id()).orElseThrow();
        assertThat(saved.legalName()).isEqualTo("Initech Europe B.V.");
        assertThat(saved.address().country()).isEqualTo("NL");
        assertThat(saved.billingEmails()).containsExactly("ap@initech.example", "finance@initech.example");
        assertThat(saved.taxExempt()).isFalse();
        assertThat(panel.country.getValue()).as("shown as stored").isEqualTo("NL");
        assertThat(jdbc.sql("select actor from audit_entry where action = 'billing.details' and subject = ?")
                .param("customer " + customer.id()).query(String.class).list()).containsExactly("admin-" + suffix);
    }

    @Test
    void financeExemptsTheCustomerFromTaxOnTheCustomersPage() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/customers/" + customer.externalId());
        BillingDetailsPanel panel = _get(BillingDetailsPanel.class);
        assertThat(panel.taxExempt.isEnabled()).isTrue();
        fill(panel);
        panel.taxExempt.setValue(true);
        _click(panel.save);
        assertThat(details.of(customer.id()).orElseThrow().taxExempt()).isTrue();
        assertThat(jdbc.sql("select actor from audit_entry where action = 'billing.details' and subject = ?")
                .param("customer " + customer.id()).query(String.class).list()).isEqualTo(List.of("fin-" + suffix));
    }
}
