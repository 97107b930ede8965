package com.voiceledger.admin.ui;

import com.voiceledger.ui.Formats;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.customer.AttributionConflict;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.Role;
import com.voiceledger.usage.CallQueries;
import com.voiceledger.usage.CallSummary;
import jakarta.annotation.security.RolesAllowed;

/**
 * Calls no mapping attributes yet: kept, never dropped. Adding a mapping on the Customers page (or a
 * customer with the metadata key) attributes them with their usage.
 */
@Route("admin/unattributed")
@PageTitle("Unattributed calls · VoiceLedger")
@Menu(title = "Unattributed calls", order = 120, icon = "vaadin:question-circle")
@RolesAllowed(Role.FINANCE)
class UnattributedCallsView extends VerticalLayout {

    final Grid<CallSummary> grid = new Grid<>(CallSummary.class, false);
    final Grid<AttributionConflict> conflicts = new Grid<>(AttributionConflict.class, false);

    UnattributedCallsView(CallQueries calls, CustomerService customers) {
        addClassName("vl-page");
        setSizeFull();
        grid.addColumn(call -> Formats.instant(call.callTime(), java.time.ZoneOffset.UTC)).setHeader("Time (UTC)").setAutoWidth(true);
        grid.addColumn(CallSummary::id).setHeader("Call").setAutoWidth(true);
        grid.addColumn(CallSummary::attributionKey).setHeader("Metadata customer key").setAutoWidth(true);
        grid.addColumn(CallSummary::assistantId).setHeader("Assistant").setAutoWidth(true);
        grid.addColumn(CallSummary::phoneNumberId).setHeader("Phone number").setAutoWidth(true);
        grid.addColumn(CallSummary::orgId).setHeader("Org").setAutoWidth(true);
        grid.addColumn(call -> Formats.precise(call.providerCost(), call.currency())).setHeader("Provider cost").setAutoWidth(true);
        grid.setItems(calls.unattributed(CallQueries.MAX_PAGE_SIZE));
        grid.setEmptyStateText("Every call is attributed to a customer.");
        grid.setSizeFull();
        add(new H2("Unattributed calls (" + calls.countUnattributed() + ")"),
                new Paragraph("Add a customer with the metadata key, or map the assistant, phone number or org "
                        + "on the Customers page: the calls move to that customer with their usage."),
                grid);
        // metadata claimed one customer, a mapping said another: the mapping decided (decision 0035)
        conflicts.addColumn(conflict -> Formats.instant(conflict.lastSeenAt(), java.time.ZoneOffset.UTC))
                .setHeader("Last seen (UTC)").setAutoWidth(true);
        conflicts.addColumn(AttributionConflict::claimedCustomer).setHeader("Metadata claimed").setAutoWidth(true);
        conflicts.addColumn(AttributionConflict::mappedCustomer).setHeader("Mapping says").setAutoWidth(true);
        conflicts.addColumn(AttributionConflict::hintType).setHeader("Mapped by").setAutoWidth(true);
        conflicts.addColumn(AttributionConflict::hintValue).setHeader("Value").setAutoWidth(true);
        conflicts.addColumn(conflict -> Formats.instant(conflict.firstSeenAt(), java.time.ZoneOffset.UTC))
                .setHeader("First seen (UTC)").setAutoWidth(true);
        conflicts.setItems(customers.attributionConflicts(200));
        conflicts.setEmptyStateText("No call claimed another customer than its mapping.");
        conflicts.setAllRowsVisible(true);
        add(new H2("Attribution conflicts"), new Paragraph("Calls whose metadata named another customer than the "
                + "assistant, phone number or org mapping: the mapping decided. A customer may be trying to move "
                + "usage, or a mapping may be out of date."), conflicts);
    }
}
