package com.voiceledger.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.voiceledger.customer.BillingDetails;
import com.voiceledger.customer.BillingDetailsService;
import com.voiceledger.shared.CustomerId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The customer's billing details (decision 0077): edited by a customer admin in Settings and by finance on the
 * customer's 360 page; only finance may tick the tax exemption. Saved through the same validation as the API.
 */
public class BillingDetailsPanel extends VerticalLayout {

    final TextField legalName = new TextField("Legal name");
    final TextField line1 = new TextField("Address line 1");
    final TextField line2 = new TextField("Address line 2");
    final TextField city = new TextField("City");
    final TextField postalCode = new TextField("Postal code");
    final TextField region = new TextField("State or region");
    final TextField country = new TextField("Country (ISO code, e.g. US, DE)");
    final TextField taxId = new TextField("Tax id (e.g. VAT number)");
    final TextField purchaseOrder = new TextField("Purchase order number");
    final TextField billingEmails = new TextField("Billing e-mails (comma-separated)");
    final Checkbox taxExempt = new Checkbox("Exempt from tax");
    final Button save = new Button("Save billing details");
    private final BillingDetailsService details;
    private final CustomerId customer;
    private final String by;
    private final boolean finance;

    public BillingDetailsPanel(BillingDetailsService details, CustomerId customer, String defaultName, String by,
            boolean finance) {
        this.details = details;
        this.customer = customer;
        this.by = by;
        this.finance = finance;
        setPadding(false);
        Optional<BillingDetails> current = details.of(customer);
        legalName.setValue(current.map(BillingDetails::legalName).orElse(defaultName));
        current.ifPresent(this::show);
        taxExempt.setEnabled(finance);
        if (!finance) {
            taxExempt.setTooltipText("Set by finance on receipt of your exemption certificate");
        }
        country.setMaxLength(2);
        billingEmails.setWidthFull();
        save.addClickListener(click -> save());
        FormLayout form = new FormLayout(legalName, taxId, line1, line2, postalCode, city, region, country,
                purchaseOrder, billingEmails, taxExempt);
        form.setColspan(billingEmails, 2);
        add(new Paragraph("Printed on every invoice finalized from now on (invoices already issued keep the details "
                + "they were issued with) and sent to Stripe."), form, save);
    }

    private void show(BillingDetails shown) {
        legalName.setValue(shown.legalName());
        line1.setValue(shown.address().line1());
        line2.setValue(nullToEmpty(shown.address().line2()));
        city.setValue(shown.address().city());
        postalCode.setValue(nullToEmpty(shown.address().postalCode()));
        region.setValue(nullToEmpty(shown.address().region()));
        country.setValue(shown.address().country());
        taxId.setValue(nullToEmpty(shown.taxId()));
        purchaseOrder.setValue(nullToEmpty(shown.purchaseOrder()));
        billingEmails.setValue(String.join(", ", shown.billingEmails()));
        taxExempt.setValue(shown.taxExempt());
    }

    private void save() {
        try {
            List<String> emails = Arrays.stream(billingEmails.getValue().split(",")).map(String::strip)
                    .filter(email -> !email.isEmpty()).toList();
            BillingDetails saved = details.set(customer, new BillingDetails.Form(legalName.getValue(),
                    new BillingDetails.AddressForm(line1.getValue(), line2.getValue(), city.getValue(),
                            postalCode.getValue(), region.getValue(), country.getValue()),
                    taxId.getValue(), purchaseOrder.getValue(), emails, finance ? taxExempt.getValue() : null), by, finance);
            show(saved);
            Notification.show("Billing details saved", 4000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (RuntimeException e) {
            Notification.show(e.getMessage(), 5000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
