package com.voiceledger.admin.ui;

import com.voiceledger.ui.Formats;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
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
import com.voiceledger.customer.Attribution;
import com.voiceledger.customer.AttributionType;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.security.ApiKeyService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.ui.ApiKeysPanel;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.security.Role;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/** Finance's customer list: create customers, map assistants/numbers/orgs to them, issue API keys. */
@Route("admin/customers")
@PageTitle("Customers · VoiceLedger")
@Menu(title = "Customers", order = 100, icon = "vaadin:users")
@RolesAllowed(Role.FINANCE)
class CustomersView extends VerticalLayout {

    private final CustomerService customers;
    private final ApiKeyService apiKeys;
    private final SpendCaps spendCaps;
    private final CurrentUser currentUser;
    final Grid<Customer> grid = new Grid<>(Customer.class, false);
    final TextField externalId = new TextField("External id");
    final TextField name = new TextField("Name");
    final TextField currency = new TextField("Currency");
    final ComboBox<String> timeZone = new ComboBox<>("Billing time zone");
    final Button create = new Button("Create customer");
    private final VerticalLayout details = new VerticalLayout();

    CustomersView(CustomerService customers, ApiKeyService apiKeys, SpendCaps spendCaps, CurrentUser currentUser) {
        this.customers = customers;
        this.apiKeys = apiKeys;
        this.spendCaps = spendCaps;
        this.currentUser = currentUser;
        addClassName("vl-page");
        setSizeFull();

        externalId.setHelperText("The key the platform sends in call metadata");
        currency.setValue("USD");
        currency.setMaxLength(3);
        timeZone.setItems(ZoneId.getAvailableZoneIds().stream().sorted().toList());
        timeZone.setValue("UTC");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickListener(event -> createCustomer());
        HorizontalLayout form = new HorizontalLayout(externalId, name, currency, timeZone, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);

        grid.addColumn(Customer::name).setHeader("Name").setSortable(true).setAutoWidth(true);
        grid.addColumn(Customer::externalId).setHeader("External id").setAutoWidth(true);
        grid.addColumn(Customer::currency).setHeader("Currency").setAutoWidth(true);
        grid.addColumn(customer -> customer.billingTimeZone().getId()).setHeader("Time zone").setAutoWidth(true);
        grid.asSingleSelect().addValueChangeListener(event -> showDetails(event.getValue()));
        grid.setEmptyStateText("No customers yet: create the first one above.");
        grid.setHeight("18rem");

        details.setPadding(false);
        add(new H2("Customers"), form, grid, details);
        refresh();
    }

    private void createCustomer() {
        try {
            Customer customer = customers.create(NewCustomer.parse(externalId.getValue(), name.getValue(),
                    currency.getValue(), timeZone.getValue()));
            externalId.clear();
            name.clear();
            refresh();
            grid.select(customer);
            notify("Customer " + customer.name() + " created", NotificationVariant.LUMO_SUCCESS);
        } catch (BadRequestException | ConflictException e) {
            notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
        }
    }

    private void refresh() {
        grid.setItems(customers.list());
    }

    private void showDetails(@Nullable Customer customer) {
        details.removeAll();
        if (customer == null) {
            return;
        }
        var status = spendCaps.status(customer);
        Button suspend = new Button(status.suspended() ? "Resume calls" : "Suspend calls", event -> {
            spendCaps.suspend(customer, !status.suspended(), status.suspended() ? "resumed by finance"
                    : "suspended by finance", currentUser.require().name());
            showDetails(customer);
        });
        suspend.addThemeVariants(status.suspended() ? ButtonVariant.LUMO_SUCCESS : ButtonVariant.LUMO_ERROR);
        details.add(new HorizontalLayout(new Anchor("admin/customers/" + customer.externalId(), "Customer 360"),
                        new Anchor("admin/contracts?customer=" + customer.externalId(), "Contracts"),
                        new Anchor("calls?customer=" + customer.externalId(), "Calls (as the customer sees them)")),
                new Paragraph("This month (" + customer.billingTimeZone().getId() + "): "
                        + Formats.money(status.spend(), status.currency())
                        + (status.cap() == null ? " (no cap)" : " of a " + Formats.money(status.cap(), status.currency()) + " cap, "
                                + status.percent() + " %") + (status.suspended() ? ". Suspended: new calls are refused." : ".")),
                suspend,
                new H3(customer.name() + ": attribution"),
                new Paragraph("Calls whose assistant, phone number or org matches a mapping belong to this customer "
                        + "(after the metadata key '" + customer.externalId() + "'). Adding one attributes past "
                        + "unattributed calls too."));
        Grid<Attribution> mappings = new Grid<>(Attribution.class, false);
        mappings.addColumn(mapping -> mapping.type().wireName()).setHeader("Type").setAutoWidth(true);
        mappings.addColumn(Attribution::value).setHeader("Value").setAutoWidth(true);
        mappings.setItems(customers.attributions(customer.id()));
        mappings.setAllRowsVisible(true);
        mappings.setEmptyStateText("No mappings: only calls with the metadata key are attributed.");
        ComboBox<AttributionType> type = new ComboBox<>("Type");
        type.setItems(AttributionType.values());
        type.setItemLabelGenerator(AttributionType::wireName);
        type.setValue(AttributionType.ASSISTANT_ID);
        TextField value = new TextField("Value");
        Button add = new Button("Add mapping", event -> {
            try {
                customers.addAttribution(customer.id(), type.getValue(), value.getValue());
                value.clear();
                mappings.setItems(customers.attributions(customer.id()));
                notify("Mapping added", NotificationVariant.LUMO_SUCCESS);
            } catch (BadRequestException | ConflictException e) {
                notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
            }
        });
        HorizontalLayout mappingForm = new HorizontalLayout(type, value, add);
        mappingForm.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        details.add(mappings, mappingForm);

        details.add(new H3("API keys"), new ApiKeysPanel(apiKeys, customer.id()));
    }

    private static void notify(String message, NotificationVariant variant) {
        Notification.show(message, 5000, Notification.Position.BOTTOM_START).addThemeVariants(variant);
    }
}
