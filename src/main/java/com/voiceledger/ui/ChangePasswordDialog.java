package com.voiceledger.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.voiceledger.security.SessionEpochs;
import com.voiceledger.security.UserService;
import com.voiceledger.shared.BadRequestException;

/** Anyone signed in changes their own password: the current one, then the new one twice. */
class ChangePasswordDialog extends Dialog {

    final PasswordField current = new PasswordField("Current password");
    final PasswordField fresh = new PasswordField("New password");
    final PasswordField again = new PasswordField("New password again");
    final Button save = new Button("Change password");

    ChangePasswordDialog(UserService users, String username) {
        setHeaderTitle("Change password");
        fresh.setHelperText("At least " + UserService.MIN_PASSWORD_LENGTH + " characters");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(event -> {
            if (!fresh.getValue().equals(again.getValue())) {
                again.setInvalid(true);
                again.setErrorMessage("The two new passwords differ");
                return;
            }
            try {
                // every other session of this person ends; this one goes on under the new epoch
                SessionEpochs.keepCurrentSession(users.changePassword(username, current.getValue(), fresh.getValue()));
                close();
                Notification.show("Password changed", 4000, Notification.Position.BOTTOM_START)
                        .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            } catch (BadRequestException e) {
                Notification.show(e.getMessage(), 5000, Notification.Position.BOTTOM_START)
                        .addThemeVariants(NotificationVariant.LUMO_ERROR);
            }
        });
        add(new VerticalLayout(current, fresh, again));
        getFooter().add(new Button("Cancel", event -> close()), save);
    }
}
