package com.voiceledger.ui;

import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.ParentLayout;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import com.voiceledger.security.CurrentUser;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An address no route answers, or a detail view's id that is not the viewer's (views reroute here with
 * {@code event.rerouteToError(NotFoundException.class)}): Vaadin's own page replaced by ours.
 */
@ParentLayout(MainLayout.class)
@AnonymousAllowed
public class NotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException>, HasDynamicTitle {

    private final CurrentUser currentUser;

    NotFoundView(CurrentUser currentUser) {
        this.currentUser = currentUser;
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        NotFoundPage.fill(this, event.getLocation().getPath(), currentUser);
        return HttpServletResponse.SC_NOT_FOUND;
    }

    @Override
    public String getPageTitle() {
        return NotFoundPage.TITLE;
    }
}
