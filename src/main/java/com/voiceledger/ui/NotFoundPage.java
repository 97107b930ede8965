package com.voiceledger.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Principal;

/**
 * The one "not found" page, inside the app's layout, with a way back to the signed-in person's start
 * page. Its text depends only on the address typed, never on what exists behind it: an unknown page,
 * another customer's invoice or call, and a console page a customer may not open all read the same
 * (docs/decisions/0058-not-found-in-the-layout.md).
 */
final class NotFoundPage {

    static final String TITLE = "Not found · VoiceLedger";

    private NotFoundPage() {
    }

    static void fill(VerticalLayout page, String path, CurrentUser currentUser) {
        page.removeAll();
        page.addClassName("vl-page");
        boolean finance = currentUser.get().map(Principal::isFinance).orElse(false);
        page.add(new H2("Page not found"),
                new Paragraph("There is nothing at /" + path + " for you to open. The address may be mistyped, "
                        + "or what it pointed to is not in your account."),
                finance ? new Anchor("admin/overview", "Back to the overview")
                        : new Anchor("dashboard", "Back to the dashboard"));
    }
}
