package com.voiceledger.admin.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.voiceledger.billing.CalendarMonth;
import com.voiceledger.billing.InvoiceIssuing;
import com.voiceledger.billing.IssuingPolicy;
import com.voiceledger.customer.Customer;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.ui.Formats;
import java.time.Duration;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * One customer's billing calendar on its 360 page: each month's invoice state and next automatic step
 * (times in the customer's billing zone), or why it waits ("waits for October: 3 calls without a price"),
 * an issuing step that failed for this customer, the grace period and hold, and finance's actions: extend the
 * grace by a day, hold or release, finalize a draft now. Every action is audited by the service.
 */
class BillingCalendarPanel extends VerticalLayout {

    private final InvoiceIssuing issuing;
    private final java.util.function.Supplier<String> actor;
    final Paragraph policy = new Paragraph();
    final TextField reason = new TextField("Reason (for the audit log)");
    final Button extendGrace = new Button("Extend grace by a day");
    final Button hold = new Button("Hold invoices");
    final Grid<CalendarMonth> calendar = new Grid<>(CalendarMonth.class, false);
    private @Nullable Customer customer;
    private ZoneId zone = ZoneId.of("UTC");

    BillingCalendarPanel(InvoiceIssuing issuing, java.util.function.Supplier<String> actor) {
        this.issuing = issuing;
        this.actor = actor;
        setPadding(false);
        reason.setWidth("24em");
        calendar.addColumn(month -> month.month().toString()).setHeader("Month").setAutoWidth(true);
        calendar.addColumn(CalendarMonth::state).setHeader("State").setAutoWidth(true);
        calendar.addColumn(month -> month.number() == null ? "–" : month.number()).setHeader("Invoice").setAutoWidth(true);
        // the next step says when (in the customer's zone) and, for a month that waits, for which month and why
        calendar.addColumn(CalendarMonth::nextStep).setHeader("Next step, or why it waits").setFlexGrow(2);
        calendar.addColumn(month -> month.reason() == null ? "" : month.reason()).setHeader("Why").setFlexGrow(1);
        calendar.addComponentColumn(month -> {
            Button finalize = new Button("Finalize now", click -> act(() -> issuing.finalizeNow(month.invoiceId(),
                    reason.getValue(), actor.get()), "Finalized " + month.month()));
            finalize.setVisible(month.invoiceId() != null && !month.state().equals("FINALIZED"));
            return finalize;
        }).setAutoWidth(true);
        calendar.setAllRowsVisible(true);
        calendar.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        extendGrace.addClickListener(click -> act(() -> issuing.setGracePeriod(customer,
                issuing.policy(customer.id()).gracePeriod().plus(Duration.ofDays(1)), reason.getValue(), actor.get()),
                "Grace extended by a day"));
        hold.addClickListener(click -> {
            boolean held = issuing.policy(customer.id()).hold();
            act(() -> issuing.hold(customer, !held, reason.getValue(), actor.get()), held ? "Released" : "Held");
        });
        HorizontalLayout actions = new HorizontalLayout(reason, extendGrace, hold);
        actions.setDefaultVerticalComponentAlignment(Alignment.BASELINE);
        actions.setWrap(true);
        add(policy, actions, calendar);
    }

    void show(Customer shown) {
        customer = shown;
        zone = shown.billingTimeZone();
        IssuingPolicy current = issuing.policy(shown.id());
        policy.setText("Grace period " + human(current.gracePeriod()) + (current.graceOverridden() ? " (this customer's)"
                : " (the default)") + "; times in " + zone.getId() + (current.hold()
                ? ". On hold: " + current.holdReason() + " (drafts wait for finance)." : "."));
        issuing.stepFailure(shown.id()).ifPresent(failure -> policy.setText(policy.getText() + " Issuing failed for "
                + "this customer (" + failure.step() + ", " + failure.failures() + " times since "
                + Formats.instant(failure.firstAt(), zone) + "): " + failure.error()
                + ". The other customers go on; it is retried at every tick."));
        hold.setText(current.hold() ? "Release hold" : "Hold invoices");
        calendar.setItems(issuing.calendar(shown));
    }

    private void act(Runnable action, String done) {
        if (customer == null) {
            return;
        }
        try {
            action.run();
            Notification.show(done);
            reason.clear();
            show(customer);
        } catch (BadRequestException e) {
            Notification.show(e.getMessage());
        }
    }

    static String human(Duration duration) {
        return duration.toHours() % 24 == 0 && duration.toHours() > 0 && duration.toMinutesPart() == 0
                ? duration.toDays() + (duration.toDays() == 1 ? " day" : " days")
                : duration.toHours() + " h" + (duration.toMinutesPart() == 0 ? "" : " " + duration.toMinutesPart() + " min");
    }
}
