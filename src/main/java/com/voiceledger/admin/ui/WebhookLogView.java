package com.voiceledger.admin.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.voiceledger.ingestion.IngestResult;
import com.voiceledger.ingestion.WebhookEvent;
import com.voiceledger.ingestion.WebhookRetry;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import com.voiceledger.ingestion.WebhookEventLog;
import com.voiceledger.ingestion.WebhookEventStatus;
import com.voiceledger.security.Role;
import jakarta.annotation.security.RolesAllowed;

/** Every delivery received, newest first, with what became of it; the raw body on demand. */
@Route("admin/webhooks")
@PageTitle("Webhook log · VoiceLedger")
@Menu(title = "Webhook log", order = 110, icon = "vaadin:exchange")
@RolesAllowed(Role.FINANCE)
class WebhookLogView extends VerticalLayout {

    static final int SHOWN = 500;

    private static final DateTimeFormatter RECEIVED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final WebhookEventLog log;
    private final WebhookRetry retries;
    final ComboBox<WebhookEventStatus> status = new ComboBox<>("Status");
    final Grid<WebhookEvent> grid = new Grid<>(WebhookEvent.class, false);

    WebhookLogView(WebhookEventLog log, WebhookRetry retries) {
        this.log = log;
        this.retries = retries;
        addClassName("vl-page");
        setSizeFull();
        status.setItems(WebhookEventStatus.values());
        status.setClearButtonVisible(true);
        status.setPlaceholder("All");
        status.addValueChangeListener(event -> refresh());

        grid.addColumn(WebhookEvent::id).setHeader("#").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(event -> RECEIVED.format(event.receivedAt())).setHeader("Received (UTC)").setAutoWidth(true);
        grid.addColumn(WebhookEvent::source).setHeader("Source").setAutoWidth(true);
        grid.addColumn(WebhookEvent::messageType).setHeader("Type").setAutoWidth(true);
        grid.addColumn(WebhookEvent::callId).setHeader("Call").setWidth("12rem").setFlexGrow(0)
                .setTooltipGenerator(WebhookEvent::callId);
        grid.addColumn(WebhookEvent::status).setHeader("Status").setAutoWidth(true);
        grid.addColumn(WebhookEvent::error).setHeader("Error").setFlexGrow(1);
        grid.addComponentColumn(event -> {
            Button body = new Button("Body", click -> showBody(event));
            body.addThemeVariants(ButtonVariant.LUMO_SMALL);
            Button retry = new Button("Retry", click -> retry(event));
            retry.addThemeVariants(ButtonVariant.LUMO_SMALL);
            retry.setVisible(event.status() == WebhookEventStatus.FAILED);
            return new HorizontalLayout(body, retry);
        }).setAutoWidth(true).setFlexGrow(0).setFrozenToEnd(true);
        grid.setEmptyStateText("No deliveries yet. Point the platform's server URL at /webhooks/vapi.");
        grid.setSizeFull();
        add(new H2("Webhook log"), status, grid);
        refresh();
    }

    private void refresh() {
        grid.setItems(log.recent(status.getValue(), SHOWN));
    }

    private void retry(WebhookEvent event) {
        IngestResult result = retries.retry(event.id());
        Notification notification = Notification.show(result.failed()
                ? "Still failing: " + result.error()
                : "Delivery #" + event.id() + " is now " + result.status().name().toLowerCase(), 6000,
                Notification.Position.BOTTOM_START);
        notification.addThemeVariants(result.failed() ? NotificationVariant.LUMO_ERROR : NotificationVariant.LUMO_SUCCESS);
        refresh();
    }

    private void showBody(WebhookEvent event) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Delivery #" + event.id() + " as received");
        Pre body = new Pre(log.rawBody(event.id()).map(raw -> raw.text() != null ? raw.text()
                : "(purged" + (raw.purgedAt() == null ? "" : " on " + RECEIVED.format(raw.purgedAt()) + " UTC")
                        + ", after it was processed: raw bodies are kept "
                        + "for the retention period only; the delivery's outcome above stays)").orElse("(gone)"));
        body.addClassName("vl-pre");
        dialog.add(body);
        dialog.setWidth("min(60rem, 95vw)");
        dialog.getFooter().add(new Button("Close", click -> dialog.close()));
        dialog.open();
    }
}
