package com.voiceledger.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.IntegerField;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.usage.TranscriptPolicies;
import com.voiceledger.usage.TranscriptPolicy;

/**
 * How long the customer's call transcripts are kept: always, for N days, or never; set by a customer admin
 * (in Settings) or finance (on the customer's 360 page), audited (docs/decisions/0054).
 */
public class TranscriptPolicyPanel extends VerticalLayout {

    final RadioButtonGroup<TranscriptPolicy.Keep> keep = new RadioButtonGroup<>("Keep call transcripts");
    final IntegerField days = new IntegerField("Days after the call");
    final Button save = new Button("Save transcript policy");
    private final TranscriptPolicies policies;
    private final CustomerId customer;
    private final String by;

    public TranscriptPolicyPanel(TranscriptPolicies policies, CustomerId customer, String by) {
        this.policies = policies;
        this.customer = customer;
        this.by = by;
        setPadding(false);
        keep.setItems(TranscriptPolicy.Keep.values());
        keep.setItemLabelGenerator(option -> switch (option) {
            case ALWAYS -> "Always";
            case DAYS -> "For a number of days";
            case NEVER -> "Never (not stored at all)";
        });
        days.setMin(1);
        days.setMax(TranscriptPolicy.MAX_DAYS);
        days.setStepButtonsVisible(true);
        keep.addValueChangeListener(event -> days.setEnabled(event.getValue() == TranscriptPolicy.Keep.DAYS));
        TranscriptPolicy current = policies.of(customer);
        keep.setValue(current.keep());
        days.setValue(current.days() == null ? 30 : current.days());
        days.setEnabled(current.keep() == TranscriptPolicy.Keep.DAYS);
        save.addClickListener(click -> save());
        HorizontalLayout bar = new HorizontalLayout(keep, days, save);
        bar.setWrap(true);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(new Paragraph("Transcripts, messages, recording links and the call analysis. Cost guards still check "
                + "each call as it arrives; what is not kept cannot be shown later."), bar);
    }

    private void save() {
        try {
            TranscriptPolicy policy = keep.getValue() == TranscriptPolicy.Keep.DAYS
                    ? TranscriptPolicy.days(days.getValue() == null ? 0 : days.getValue())
                    : new TranscriptPolicy(keep.getValue(), null);
            policies.set(customer, policy, by);
            Notification.show("Transcripts " + policy.describe(), 4000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (RuntimeException e) {
            Notification.show(e.getMessage(), 5000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }
}
