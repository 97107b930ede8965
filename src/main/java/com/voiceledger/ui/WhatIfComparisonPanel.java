package com.voiceledger.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.voiceledger.rating.WhatIf;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** A what-if result: what the month was charged, what it would be, the difference, by layer. */
public class WhatIfComparisonPanel extends VerticalLayout {

    final Div cards = new Div();
    final Grid<WhatIf.LayerComparison> layers = new Grid<>(WhatIf.LayerComparison.class, false);

    public WhatIfComparisonPanel(WhatIf.Comparison comparison) {
        setPadding(false);
        String currency = comparison.currency();
        cards.addClassName("vl-cards");
        cards.add(FigureCard.of("Charged in " + comparison.month(), Formats.total(comparison.actual(), currency),
                comparison.calls() + " calls"));
        cards.add(FigureCard.of("Under " + comparison.scenario(), Formats.total(comparison.alternative(), currency),
                comparison.unpricedCalls() == 0 ? "same calls, same usage"
                        : comparison.unpricedCalls() + " calls would lack a price"));
        cards.add(FigureCard.of("Difference", signed(comparison.difference(), currency), percent(comparison)));
        layers.addColumn(WhatIf.LayerComparison::layer).setHeader("Layer").setAutoWidth(true);
        layers.addColumn(row -> Formats.total(row.actual(), currency)).setHeader("Charged")
                .setTextAlign(ColumnTextAlign.END);
        layers.addColumn(row -> Formats.total(row.alternative(), currency)).setHeader("Would be")
                .setTextAlign(ColumnTextAlign.END);
        layers.addColumn(row -> signed(row.difference(), currency)).setHeader("Difference")
                .setTextAlign(ColumnTextAlign.END);
        layers.setItems(comparison.layers());
        layers.setAllRowsVisible(true);
        layers.setEmptyStateText("No calls in " + comparison.month() + ".");
        Paragraph scope = new Paragraph("Usage charges only: included minutes, minimum invoice amounts, commitments "
                + "and credits are applied when the month closes and are not part of this comparison.");
        scope.addClassName("vl-muted");
        add(cards, layers, scope);
    }

    public String differenceText() {
        return cards.getChildren().skip(2).findFirst().map(card -> card.getElement().getTextRecursively()).orElse("");
    }

    private static String signed(BigDecimal amount, String currency) {
        String text = Formats.total(amount, currency);
        return amount.signum() > 0 ? "+" + text : text;
    }

    private static String percent(WhatIf.Comparison comparison) {
        if (comparison.actual().signum() == 0) {
            return "";
        }
        BigDecimal percent = comparison.difference().multiply(BigDecimal.valueOf(100))
                .divide(comparison.actual(), 1, RoundingMode.HALF_EVEN);
        return (percent.signum() > 0 ? "+" : "") + percent.toPlainString() + " % against what was charged";
    }
}
