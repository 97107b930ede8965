package com.voiceledger.portal.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.voiceledger.contract.ContractLimits;
import com.voiceledger.customer.Customer;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.NotFoundException;
import com.voiceledger.spendcap.AssistantBudget;
import com.voiceledger.spendcap.AssistantBudgets;
import com.voiceledger.spendcap.Concurrency;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.ui.Formats;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the customer's contract allows a call (calls at once, longest call, models), how many run now and the
 * day's peak, and its budgets per assistant, which the customer admin sets here (decision 0069).
 */
class LimitsPanel extends VerticalLayout {

    final Paragraph allowed = new Paragraph();
    final Paragraph inProgress = new Paragraph();
    final Grid<AssistantBudget> budgets = new Grid<>(AssistantBudget.class, false);
    final TextField assistant = new TextField("Assistant id");
    final TextField amount = new TextField("Monthly budget");
    final Button save = new Button("Set budget");

    LimitsPanel(SpendCaps spendCaps, AssistantBudgets assistantBudgets, Customer customer, String actor) {
        setPadding(false);
        allowed.setText(describe(spendCaps.limits(customer).orElse(null)));
        Concurrency concurrency = spendCaps.concurrency(customer);
        inProgress.setText("Calls in progress now: " + concurrency.inUse() + (concurrency.limit() == null ? ""
                : " of " + concurrency.limit()) + "; most at once today: " + concurrency.peakToday() + ".");
        budgets.addColumn(AssistantBudget::assistantId).setHeader("Assistant");
        budgets.addColumn(b -> Formats.money(b.monthlyAmount(), b.currency())).setHeader("Monthly budget");
        budgets.addColumn(b -> Formats.money(b.spent(), b.currency())).setHeader("Spent this month");
        budgets.addColumn(b -> Formats.money(b.remaining(), b.currency())).setHeader("Left");
        budgets.addColumn(b -> b.percent() == null ? "0 %" : b.percent() + " %").setHeader("Used");
        budgets.addComponentColumn(b -> new Button("Remove", click -> change(() ->
                assistantBudgets.remove(customer, b.assistantId(), actor), assistantBudgets, customer,
                "Budget of " + b.assistantId() + " removed"))).setHeader("");
        budgets.setAllRowsVisible(true);
        budgets.setEmptyStateText("No assistant has a budget yet: name one below.");
        budgets.setItems(assistantBudgets.budgets(customer));
        amount.setPlaceholder("50.00");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(click -> change(() -> assistantBudgets.set(customer, assistant.getValue().strip(),
                decimal(amount.getValue()), null, actor), assistantBudgets, customer,
                "Budget of " + assistant.getValue().strip() + " set"));
        HorizontalLayout bar = new HorizontalLayout(assistant, amount, save);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(allowed, inProgress, new Paragraph("An assistant over its monthly budget has its new calls refused while "
                + "your other assistants go on; alerts at 50, 80 and 100 %."), budgets, bar);
    }

    static String describe(@Nullable ContractLimits limits) {
        if (limits == null) {
            return "Your contract sets no limits on calls at once, call length or models.";
        }
        List<String> parts = new ArrayList<>();
        if (limits.concurrentCalls() != null) {
            parts.add(limits.concurrentCalls() + " calls at once");
        }
        if (limits.concurrentCallsPerAssistant() != null) {
            parts.add(limits.concurrentCallsPerAssistant() + " at once per assistant");
        }
        if (limits.maxCallSeconds() != null) {
            parts.add("calls up to " + limits.maxCallSeconds() + " seconds");
        }
        if (!limits.allowsEveryModel()) {
            parts.add("the models " + String.join(", ", limits.allowedModels()));
        }
        return parts.isEmpty() ? "Your contract sets no limits on calls at once, call length or models."
                : "Your contract allows " + String.join("; ", parts) + ".";
    }

    private void change(Runnable change, AssistantBudgets assistantBudgets, Customer customer, String done) {
        try {
            change.run();
            budgets.setItems(assistantBudgets.budgets(customer));
            Notification.show(done, 5000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (BadRequestException | NotFoundException e) {
            Notification.show(e.getMessage(), 6000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }

    private static BigDecimal decimal(String value) {
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException("the budget is not an amount: write it as 50.00");
        }
    }
}
