package com.voiceledger.admin.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.Role;
import com.voiceledger.spendcap.Alert;
import com.voiceledger.spendcap.Alerts;
import jakarta.annotation.security.RolesAllowed;
import java.util.Map;
import java.util.stream.Collectors;

/** Every alert of every customer, finance-only margin alerts included, newest first. */
@Route("admin/alerts")
@PageTitle("Alerts · VoiceLedger")
@Menu(title = "Alerts", order = 101, icon = "vaadin:bell")
@RolesAllowed(Role.FINANCE)
class AlertsView extends VerticalLayout {

    final Grid<Alert> grid = new Grid<>(Alert.class, false);

    AlertsView(Alerts alerts, CustomerService customers) {
        addClassName("vl-page");
        setSizeFull();
        Map<Long, String> names = customers.list().stream()
                .collect(Collectors.toMap(c -> c.id().value(), Customer::name, (a, b) -> a));
        grid.addColumn(a -> RateCardView.UTC.format(a.createdAt())).setHeader("When (UTC)").setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(a -> names.getOrDefault(a.customerId(), "?")).setHeader("Customer").setAutoWidth(true);
        grid.addColumn(Alert::kind).setHeader("Kind").setWidth("13rem").setFlexGrow(0);
        grid.addColumn(Alert::message).setHeader("Alert").setWidth("26rem").setFlexGrow(1);
        grid.addColumn(Alert::deliveryStatus).setHeader("Webhook").setAutoWidth(true);
        grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.setItems(alerts.recent(500));
        grid.setEmptyStateText("No alerts.");
        grid.setSizeFull();
        add(new H2("Alerts"), grid);
    }

}
