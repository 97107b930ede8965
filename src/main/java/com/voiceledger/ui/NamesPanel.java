package com.voiceledger.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.usage.ResourceNames;

/**
 * The customer's assistants and phone numbers, each with a name that a customer admin (in Settings) or
 * finance (on the customer's 360 page) can set; blank brings back the id (docs/decisions/0044).
 */
public class NamesPanel extends VerticalLayout {

    final Grid<ResourceNames.Named> grid = new Grid<>(ResourceNames.Named.class, false);
    private final ResourceNames names;
    private final CustomerId customer;
    private final String by;

    public NamesPanel(ResourceNames names, CustomerId customer, String by) {
        this.names = names;
        this.customer = customer;
        this.by = by;
        setPadding(false);
        grid.addColumn(named -> named.kind() == ResourceNames.Kind.ASSISTANT ? "Assistant" : "Phone number")
                .setHeader("What").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(ResourceNames.Named::id).setHeader("Id").setAutoWidth(true);
        grid.addColumn(ResourceNames.Named::calls).setHeader("Calls").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addComponentColumn(this::editor).setHeader("Name").setFlexGrow(1);
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText("No assistant or phone number on your calls yet.");
        add(grid);
        refresh();
    }

    private HorizontalLayout editor(ResourceNames.Named named) {
        TextField name = new TextField();
        name.setValue(named.name() == null ? "" : named.name());
        name.setPlaceholder(named.id());
        name.setMaxLength(200);
        name.setAriaLabel("Name of " + named.id());
        Button save = new Button("Save", click -> {
            try {
                names.rename(customer, named.kind(), named.id(), name.getValue(), by);
                Notification.show("Saved", 3000, Notification.Position.BOTTOM_START)
                        .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                refresh();
            } catch (RuntimeException e) {
                Notification.show(e.getMessage(), 5000, Notification.Position.MIDDLE)
                        .addThemeVariants(NotificationVariant.LUMO_ERROR);
            }
        });
        save.setAriaLabel("Save the name of " + named.id());
        HorizontalLayout row = new HorizontalLayout(name, save);
        row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return row;
    }

    private void refresh() {
        grid.setItems(names.seen(customer));
    }
}
