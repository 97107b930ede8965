package com.voiceledger.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;
import com.voiceledger.security.CurrentUser;

/** The root URL: sends customers to their calls and finance to the console. */
@Route("")
@PermitAll
class HomeView extends Div implements BeforeEnterObserver {

    private final CurrentUser currentUser;

    HomeView(CurrentUser currentUser) {
        this.currentUser = currentUser;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        boolean finance = currentUser.get().map(principal -> principal.isFinance()).orElse(false);
        event.forwardTo(finance ? "admin/overview" : "dashboard");
    }
}
