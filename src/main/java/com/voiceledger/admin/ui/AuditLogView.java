package com.voiceledger.admin.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.audit.AuditEntry;
import com.voiceledger.audit.AuditLog;
import com.voiceledger.security.Role;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Every change to prices and contracts: who, when, what and why. */
@Route("admin/audit")
@PageTitle("Audit log · VoiceLedger")
@Menu(title = "Audit log", order = 150, icon = "vaadin:records")
@RolesAllowed(Role.FINANCE)
class AuditLogView extends VerticalLayout {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    final TextField filter = new TextField("Filter");
    final Grid<AuditEntry> grid = new Grid<>(AuditEntry.class, false);

    AuditLogView(AuditLog audit) {
        addClassName("vl-page");
        setSizeFull();
        filter.setPlaceholder("action, subject, who or why");
        filter.setClearButtonVisible(true);
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.addValueChangeListener(event -> grid.setItems(audit.entries(event.getValue(), 500)));
        grid.addColumn(entry -> AT.format(entry.at())).setHeader("When (UTC)").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditEntry::actor).setHeader("Who").setAutoWidth(true);
        grid.addColumn(AuditEntry::action).setHeader("What").setAutoWidth(true);
        grid.addColumn(AuditEntry::subject).setHeader("Subject").setAutoWidth(true);
        grid.addColumn(AuditEntry::reason).setHeader("Why").setFlexGrow(1);
        grid.setItemDetailsRenderer(new com.vaadin.flow.data.renderer.ComponentRenderer<>(entry -> {
            com.vaadin.flow.component.html.Pre details = new com.vaadin.flow.component.html.Pre(entry.detailsJson());
            details.addClassName("vl-pre");
            return details;
        }));
        grid.setEmptyStateText("No changes recorded yet.");
        grid.setSizeFull();
        grid.setItems(audit.entries(null, 500));
        add(new H2("Audit log"), filter, grid);
    }
}
