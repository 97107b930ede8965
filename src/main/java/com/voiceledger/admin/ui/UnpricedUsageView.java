package com.voiceledger.admin.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.ui.Formats;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.rating.UnpricedItem;
import com.voiceledger.security.Role;
import jakarta.annotation.security.RolesAllowed;

/** Usage that found no price: nothing bills at 0 silently. Publishing the missing price re-rates it. */
@Route("admin/unpriced")
@PageTitle("Unpriced usage · VoiceLedger")
@Menu(title = "Unpriced usage", order = 130, icon = "vaadin:warning")
@RolesAllowed(Role.FINANCE)
class UnpricedUsageView extends VerticalLayout {

    final Grid<UnpricedItem> grid = new Grid<>(UnpricedItem.class, false);

    UnpricedUsageView(RatingQueries rating) {
        addClassName("vl-page");
        setSizeFull();
        grid.addColumn(UnpricedItem::layer).setHeader("Layer").setAutoWidth(true);
        grid.addColumn(UnpricedItem::provider).setHeader("Provider").setAutoWidth(true);
        grid.addColumn(UnpricedItem::model).setHeader("Model").setAutoWidth(true);
        grid.addColumn(UnpricedItem::unit).setHeader("Unit").setAutoWidth(true);
        grid.addColumn(item -> item.quantity().toPlainString()).setHeader("Quantity").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(UnpricedItem::calls).setHeader("Calls").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(UnpricedItem::customers).setHeader("Customers").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(item -> Formats.instant(item.firstCall(), java.time.ZoneOffset.UTC)).setHeader("First call (UTC)").setAutoWidth(true);
        grid.addColumn(item -> Formats.instant(item.lastCall(), java.time.ZoneOffset.UTC)).setHeader("Last call (UTC)").setAutoWidth(true);
        grid.setItems(rating.unpriced());
        grid.setEmptyStateText("Every component of every call has a price.");
        grid.setSizeFull();
        Anchor rateCard = new Anchor("admin/rate-card", "Rate card");
        add(new H2("Unpriced usage"),
                new Paragraph(new com.vaadin.flow.component.html.Span("These calls are charged 0 for the items below "
                        + "until a price exists. Publish one on the "), rateCard,
                        new com.vaadin.flow.component.html.Span(" (effective from the first call) or add a contract "
                                + "override; the calls are re-rated in the background.")),
                grid);
    }
}
