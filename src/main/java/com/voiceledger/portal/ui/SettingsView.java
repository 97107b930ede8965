package com.voiceledger.portal.ui;

import com.voiceledger.ui.Formats;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.customer.BillingDetailsService;
import com.voiceledger.customer.Customer;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.security.ApiKeyService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserAccount;
import com.voiceledger.security.UserService;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.NotFoundException;
import com.voiceledger.spendcap.AssistantBudgets;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.ui.ApiKeysPanel;
import com.voiceledger.ui.BillingDetailsPanel;
import com.voiceledger.ui.NamesPanel;
import com.voiceledger.ui.TranscriptPolicyPanel;
import com.voiceledger.usage.TranscriptPolicies;
import com.voiceledger.usage.ResourceNames;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;

/** Customer admins: their own spend cap, limits and assistant budgets, where alerts go, API keys, names, billing details, transcripts kept, and who has access. */
@Route("settings")
@PageTitle("Settings · VoiceLedger")
@Menu(title = "Settings", order = 90, icon = "vaadin:cog")
@RolesAllowed(Role.ADMIN)
class SettingsView extends VerticalLayout {

    final TextField cap = new TextField("Your own monthly cap");
    final TextField webhook = new TextField("Alert webhook URL (https)");
    final TextField email = new TextField("Alert e-mail");
    final Grid<UserAccount> people = new Grid<>(UserAccount.class, false);
    final TextField newLogin = new TextField("Login");
    final TextField newName = new TextField("Name");
    final PasswordField newPassword = new PasswordField("Initial password");
    final Select<Role> newRole = new Select<>();
    final Button addPerson = new Button("Add person");
    private final UserService users;

    SettingsView(CustomerScope scope, SpendCaps spendCaps, ApiKeyService apiKeys, UserService users,
            CurrentUser currentUser, ResourceNames names, TranscriptPolicies transcripts, AssistantBudgets budgets,
            BillingDetailsService billingDetails) {
        this.users = users;
        newRole.setLabel("Role");
        addClassName("vl-page");
        Customer customer = scope.resolve(null);
        SpendCaps.Settings settings = spendCaps.settings(customer.id());
        var status = spendCaps.status(customer);

        cap.setValue(settings.customerCap() == null ? "" : settings.customerCap().toPlainString());
        cap.setHelperText(status.contractCap() == null ? "Your contract has no cap."
                : "Your contract's cap is " + Formats.money(status.contractCap(), customer.currency())
                        + "; yours applies when it is lower.");
        cap.setSuffixComponent(new com.vaadin.flow.component.html.Span(customer.currency()));
        Button saveCap = new Button("Save cap", event -> {
            try {
                BigDecimal amount = cap.getValue().isBlank() ? null : new BigDecimal(cap.getValue().strip());
                spendCaps.setCustomerCap(customer, amount, currentUser.require().name());
                notify("Cap saved", NotificationVariant.LUMO_SUCCESS);
            } catch (NumberFormatException e) {
                notify("The cap is not a number", NotificationVariant.LUMO_ERROR);
            } catch (BadRequestException e) {
                notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
            }
        });
        webhook.setValue(settings.alertWebhookUrl() == null ? "" : settings.alertWebhookUrl());
        webhook.setWidth("28rem");
        Button saveWebhook = new Button("Save webhook", event -> {
            try {
                String secret = spendCaps.setAlertWebhook(customer, webhook.getValue());
                if (!secret.isEmpty()) {
                    ApiKeysPanel.showOnce("Alert webhook saved", "Signing secret (X-VoiceLedger-Signature, HMAC-SHA256 of "
                            + "\"t.body\"): copy it now", secret);
                } else {
                    notify("Alert webhook removed", NotificationVariant.LUMO_SUCCESS);
                }
            } catch (BadRequestException e) {
                notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
            }
        });

        String me = currentUser.require().name();
        people.addColumn(UserAccount::displayName).setHeader("Name").setAutoWidth(true);
        people.addColumn(UserAccount::username).setHeader("Login").setAutoWidth(true);
        people.addColumn(account -> account.role() == Role.CUSTOMER_ADMIN ? "admin" : "viewer").setHeader("Role")
                .setAutoWidth(true);
        people.addComponentColumn(account -> {
            if (account.username().equals(me)) {
                return new Span("you");
            }
            boolean admin = account.role() == Role.CUSTOMER_ADMIN;
            Button role = new Button(admin ? "Make viewer" : "Make admin", event -> teamChange(customer, () ->
                    users.changeRole(customer.id(), account.username(), admin ? Role.CUSTOMER_VIEWER
                            : Role.CUSTOMER_ADMIN, me), account.username() + " is now " + (admin ? "a viewer" : "an admin")));
            Button remove = new Button("Remove", event -> teamChange(customer, () ->
                    users.removeTeamMember(customer.id(), account.username(), me), account.username() + " removed"));
            role.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            remove.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
            return new HorizontalLayout(role, remove);
        }).setKey("actions").setAutoWidth(true);
        people.setItems(users.usersOf(customer.id()));
        newLogin.setHelperText("3–64 letters, digits or . _ @ + -");
        newPassword.setHelperText("At least " + UserService.MIN_PASSWORD_LENGTH + " characters; they change it under Password");
        newRole.setItems(Role.CUSTOMER_VIEWER, Role.CUSTOMER_ADMIN);
        newRole.setItemLabelGenerator(role -> role == Role.CUSTOMER_ADMIN ? "admin" : "viewer");
        newRole.setValue(Role.CUSTOMER_VIEWER);
        addPerson.addClickListener(event -> teamChange(customer, () -> users.addTeamMember(customer.id(),
                newLogin.getValue(), newName.getValue(), newPassword.getValue(), newRole.getValue(), me),
                newLogin.getValue() + " added"));
        HorizontalLayout addBar = new HorizontalLayout(newLogin, newName, newPassword, newRole, addPerson);
        addBar.setWrap(true);
        addBar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        people.setAllRowsVisible(true);

        email.setValue(settings.alertEmail() == null ? "" : settings.alertEmail());
        email.setWidth("20rem");
        Button saveEmail = new Button("Save e-mail", event -> {
            try {
                spendCaps.setAlertEmail(customer, email.getValue());
                notify("Alert e-mail saved", NotificationVariant.LUMO_SUCCESS);
            } catch (BadRequestException e) {
                notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
            }
        });
        add(new H2("Settings"), new H3("Spend cap"), bar(cap, saveCap),
                new H3("Limits and assistant budgets"),
                new LimitsPanel(spendCaps, budgets, customer, currentUser.require().name()), new H3("Alerts"),
                new Paragraph("Spend thresholds and cost guard findings are posted here as signed JSON, and mailed."),
                bar(webhook, saveWebhook), bar(email, saveEmail), new H3("API keys"), new ApiKeysPanel(apiKeys, customer.id()),
                new H3("Assistants and phone numbers"), new NamesPanel(names, customer.id(), currentUser.require().name()),
                new H3("Billing details"), new BillingDetailsPanel(billingDetails, customer.id(), customer.name(),
                        currentUser.require().name(), false),
                new H3("Transcripts"), new TranscriptPolicyPanel(transcripts, customer.id(), currentUser.require().name()),
                new H3("People"),
                people, addBar);
    }

    /** Runs a change to the team, says how it went, and shows the team as it is now. */
    private void teamChange(Customer customer, Runnable change, String done) {
        try {
            change.run();
            people.setItems(users.usersOf(customer.id()));
            newLogin.clear();
            newName.clear();
            newPassword.clear();
            notify(done, NotificationVariant.LUMO_SUCCESS);
        } catch (BadRequestException | ConflictException | NotFoundException e) {
            notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
        }
    }

    private static HorizontalLayout bar(com.vaadin.flow.component.Component field, Button button) {
        HorizontalLayout bar = new HorizontalLayout(field, button);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return bar;
    }

    private static void notify(String message, NotificationVariant variant) {
        Notification.show(message, 5000, Notification.Position.BOTTOM_START).addThemeVariants(variant);
    }
}
