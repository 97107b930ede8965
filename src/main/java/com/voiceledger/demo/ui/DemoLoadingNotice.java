package com.voiceledger.demo.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.voiceledger.demo.DemoDataStatus;
import org.springframework.stereotype.Component;

/**
 * On a first start, every page (the login page too) says that demo data is loading, and the notice
 * goes away by itself once it is loaded: nobody reads the empty dashboard as the real figures.
 */
@Component
class DemoLoadingNotice implements VaadinServiceInitListener {

    private final DemoDataStatus status;

    DemoLoadingNotice(DemoDataStatus status) {
        this.status = status;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> {
            if (status.loading()) {
                show(init.getUI());
            }
        });
    }

    private void show(UI ui) {
        Notification notice = new Notification("Loading demo data: three months of calls are being ingested. "
                + "The figures fill in within a minute; this notice goes away when they are all in.");
        notice.addThemeVariants(NotificationVariant.LUMO_PRIMARY);
        notice.setPosition(Notification.Position.TOP_CENTER);
        notice.setDuration(0);
        notice.getElement().setAttribute("role", "status");
        notice.open();
        ui.setPollInterval(2000);
        ui.addPollListener(poll -> {
            if (!status.loading() && notice.isOpened()) {
                notice.close();
                ui.setPollInterval(-1);
                ui.getPage().reload();
            }
        });
    }
}
