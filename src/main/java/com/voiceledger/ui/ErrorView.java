package com.voiceledger.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a person sees when a page fails: what happened in words, a way back, and for unexpected
 * failures a reference to quote to support (the stack trace goes to the log under that reference,
 * never to the screen).
 */
@AnonymousAllowed
public class ErrorView extends VerticalLayout implements HasErrorParameter<Exception> {

    private static final Logger log = LoggerFactory.getLogger(ErrorView.class);

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<Exception> parameter) {
        addClassName("vl-page");
        removeAll();
        Exception exception = parameter.getException();
        int status;
        if (exception instanceof NotFoundException) {
            add(new H2("Not found"), new Paragraph(exception.getMessage()));
            status = HttpServletResponse.SC_NOT_FOUND;
        } else if (exception instanceof BadRequestException) {
            add(new H2("That did not work"), new Paragraph(exception.getMessage()));
            status = HttpServletResponse.SC_BAD_REQUEST;
        } else {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            log.error("Page {} failed (reference {})", event.getLocation().getPath(), reference, exception);
            add(new H2("Something went wrong"), new Paragraph("The page could not be shown. Try again in a moment; if "
                    + "it keeps failing, tell support the reference " + reference + "."));
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        }
        add(new Anchor("", "Back to the start"));
        return status;
    }
}
