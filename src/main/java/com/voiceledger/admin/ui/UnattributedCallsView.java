package com.voiceledger.admin.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
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

    UnattributedCallsView(CallQueries calls) {
        addClassName("vl-page");
        setSizeFull();
        grid.addColumn(CallSummary::callTime).setHeader("Time").setAutoWidth(true);
        grid.addColumn(CallSummary::id).setHeader("Call").setAutoWidth(true);
        grid.addColumn(CallSummary::attributionKey).setHeader("Metadata customer key").setAutoWidth(true);
        grid.addColumn(CallSummary::assistantId).setHeader("Assistant").setAutoWidth(true);
        grid.addColumn(CallSummary::phoneNumberId).setHeader("Phone number").setAutoWidth(true);
        grid.addColumn(CallSummary::orgId).setHeader("Org").setAutoWidth(true);
        grid.addColumn(CallSummary::providerCost).setHeader("Provider cost").setAutoWidth(true);
        grid.setItems(calls.unattributed(CallQueries.MAX_PAGE_SIZE));
        grid.setEmptyStateText("Every call is attributed to a customer.");
        grid.setSizeFull();
        add(new H2("Unattributed calls (" + calls.countUnattributed() + ")"),
                new Paragraph("Add a customer with the metadata key, or map the assistant, phone number or org "
                        + "on the Customers page: the calls move to that customer with their usage."),
                grid);
    }
}
