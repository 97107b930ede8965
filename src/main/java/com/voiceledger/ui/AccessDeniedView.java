package com.voiceledger.ui;

import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.AccessDeniedException;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.ParentLayout;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import com.voiceledger.security.CurrentUser;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A page the signed-in person may not open (a console page, for a customer) reads exactly like one
 * that does not exist, so the answer never tells what exists. (Signed-out people are sent to the
 * sign-in page before this.)
 */
@ParentLayout(MainLayout.class)
@AnonymousAllowed
public class AccessDeniedView extends VerticalLayout implements HasErrorParameter<AccessDeniedException>,
        HasDynamicTitle {

    private final CurrentUser currentUser;

    AccessDeniedView(CurrentUser currentUser) {
        this.currentUser = currentUser;
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<AccessDeniedException> parameter) {
        NotFoundPage.fill(this, event.getLocation().getPath(), currentUser);
        return HttpServletResponse.SC_NOT_FOUND;
    }

    @Override
    public String getPageTitle() {
        return NotFoundPage.TITLE;
    }
}
