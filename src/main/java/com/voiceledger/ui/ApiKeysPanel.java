package com.voiceledger.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.voiceledger.security.ApiKey;
import com.voiceledger.security.ApiKeyService;
import com.voiceledger.security.CreatedApiKey;
import com.voiceledger.shared.CustomerId;

/**
 * A customer's API keys: list (prefix, last used, state), revoke, and create with the secret shown
 * once. Used by finance (Customers) and by customer admins (Settings).
 */
public class ApiKeysPanel extends VerticalLayout {

    private final ApiKeyService apiKeys;
    private final CustomerId customer;
    private final Grid<ApiKey> keys = new Grid<>(ApiKey.class, false);

    public ApiKeysPanel(ApiKeyService apiKeys, CustomerId customer) {
        this.apiKeys = apiKeys;
        this.customer = customer;
        setPadding(false);
        keys.addColumn(ApiKey::name).setHeader("Name").setAutoWidth(true);
        keys.addColumn(key -> key.prefix() + "…").setHeader("Key").setAutoWidth(true);
        keys.addColumn(ApiKey::createdAt).setHeader("Created").setAutoWidth(true);
        keys.addColumn(key -> key.lastUsedAt() == null ? "never" : key.lastUsedAt().toString()).setHeader("Last used")
                .setAutoWidth(true);
        keys.addColumn(key -> key.active() ? "active" : "revoked").setHeader("State").setAutoWidth(true);
        keys.addComponentColumn(key -> {
            Button revoke = new Button("Revoke", event -> {
                apiKeys.revoke(customer, key.id());
                refresh();
            });
            revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
            revoke.setEnabled(key.active());
            return revoke;
        });
        keys.setAllRowsVisible(true);
        keys.setEmptyStateText("No API keys yet.");
        TextField name = new TextField("Key name");
        Button create = new Button("Create API key", event -> {
            CreatedApiKey created = apiKeys.create(customer, name.getValue());
            name.clear();
            refresh();
            showOnce("API key created", "Copy it now: it will not be shown again", created.secret());
        });
        HorizontalLayout form = new HorizontalLayout(name, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(keys, form);
        refresh();
    }

    private void refresh() {
        keys.setItems(apiKeys.keysOf(customer));
    }

    /** A secret in a dialog, read-only, for copying: the only time it is shown. */
    public static void showOnce(String title, String label, String secret) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(title);
        TextField value = new TextField(label);
        value.setValue(secret);
        value.setReadOnly(true);
        value.setWidth("32rem");
        dialog.add(value);
        dialog.getFooter().add(new Button("Done", event -> dialog.close()));
        dialog.open();
    }
}
