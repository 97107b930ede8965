package com.voiceledger.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;

/** A headline figure with its label and a note beneath (styles: {@code vl-card} in a {@code vl-cards} grid). */
public final class FigureCard {

    private FigureCard() {
    }

    public static Div of(String label, String value, String note) {
        Span caption = new Span(label);
        caption.addClassName("vl-muted");
        Span figure = new Span(value);
        figure.addClassName("vl-figure");
        Span detail = new Span(note);
        detail.addClassName("vl-muted");
        Div card = new Div(caption, figure, detail);
        card.addClassName("vl-card");
        return card;
    }
}
