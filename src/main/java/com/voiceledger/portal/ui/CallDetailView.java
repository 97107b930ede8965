package com.voiceledger.portal.ui;

import com.voiceledger.customer.Customer;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.latency.Latencies;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.rating.RatedCall;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.ui.Formats;
import com.voiceledger.ui.ViewAs;
import com.voiceledger.usage.CallDetail;
import com.voiceledger.usage.CallLatency;
import com.voiceledger.usage.CallQueries;
import com.voiceledger.usage.CallSummary;
import com.voiceledger.usage.ResourceNames;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One call: what it was, the layers its cost is made of, its status timeline and Twilio's view.
 * Another customer's call shows exactly as a missing one.
 */
@Route("calls/:callId")
@PageTitle("Call · VoiceLedger")
@PermitAll
class CallDetailView extends VerticalLayout implements BeforeEnterObserver {

    private final CallQueries calls;
    private final RatingQueries rating;
    private final CustomerScope scope;

    private final ResourceNames names;

    private final Latencies latencies;

    CallDetailView(CallQueries calls, RatingQueries rating, CustomerScope scope, ResourceNames names,
            Latencies latencies) {
        this.latencies = latencies;
        this.names = names;
        this.calls = calls;
        this.rating = rating;
        this.scope = scope;
        addClassName("vl-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        String callId = event.getRouteParameters().get("callId").orElse("");
        String requestedCustomer = event.getLocation().getQueryParameters().getSingleParameter("customer").orElse(null);
        add(new Anchor(requestedCustomer == null ? "calls" : "calls?customer=" + requestedCustomer, "← All calls"));
        Optional<Customer> owner;
        try {
            owner = Optional.of(scope.resolve(requestedCustomer != null ? requestedCustomer
                    : ViewAs.customer().orElse(null)));
        } catch (RuntimeException e) {
            owner = Optional.empty();
        }
        Optional<CallDetail> detail = owner.flatMap(customer -> calls.find(customer.id(), callId));
        if (detail.isEmpty()) {
            // not there and not this customer's read the same (decision 0058)
            event.rerouteToError(NotFoundException.class);
            return;
        }
        show(detail.get(), rating.ratedCall(owner.get().id(), callId).orElse(null), owner.get().billingTimeZone(),
                scope.seesProviderCost(owner.get()));
        showTurns(latencies.turns(owner.get(), callId));
    }

    /** Each turn's latency per layer, as the report's performance metrics gave it (decision 0075). */
    private void showTurns(List<CallLatency.Turn> turns) {
        add(new H3("Latency per turn"));
        Grid<Integer> grid = new Grid<>();
        grid.setId("turn-latency");
        grid.addColumn(index -> index + 1).setHeader("Turn").setAutoWidth(true);
        for (String layer : CallLatency.LAYERS) {
            grid.addColumn(index -> {
                Integer ms = turns.get(index).of(layer);
                return ms == null ? "–" : ms + " ms";
            }).setHeader(layer.substring(0, 1).toUpperCase() + layer.substring(1)).setTextAlign(
                    com.vaadin.flow.component.grid.ColumnTextAlign.END).setAutoWidth(true);
        }
        grid.setItems(java.util.stream.IntStream.range(0, turns.size()).boxed().toList());
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText("The call's report had no per-turn latency.");
        add(grid);
    }

    private void show(CallDetail detail, @Nullable RatedCall rated, ZoneId zone, boolean showCost) {
        CallSummary call = detail.call();
        add(new H2("Call " + call.id()));
        Div facts = new Div();
        facts.addClassName("vl-facts");
        fact(facts, "Type", call.type());
        fact(facts, "Status", call.status());
        fact(facts, Formats.zoneLabel("Started", zone), Formats.instant(call.startedAt(), zone));
        fact(facts, Formats.zoneLabel("Ended", zone), Formats.instant(call.endedAt(), zone));
        fact(facts, "Duration", Formats.duration(call.durationSeconds()));
        fact(facts, "Ended reason", call.endedReason());
        fact(facts, "Assistant", named(call.customerId(), ResourceNames.Kind.ASSISTANT, call.assistantId()));
        fact(facts, "Phone number", named(call.customerId(), ResourceNames.Kind.PHONE_NUMBER, call.phoneNumberId()));
        fact(facts, "Caller", detail.customerNumber());
        fact(facts, "Charge", rated == null ? "not rated yet" : Formats.charge(rated.charge(), rated.currency())
                + (rated.unpriced() ? " (some usage has no price yet)" : ""));
        if (rated != null) {
            fact(facts, "Priced by", rated.rateSource());
            if (rated.billableSeconds() > 0) {
                fact(facts, "Billable time", Formats.duration(rated.billableSeconds())
                        + (rated.minimumTopUp().signum() > 0 ? ", minimum charge applied (+"
                                + Formats.charge(rated.minimumTopUp(), rated.currency()) + ")" : ""));
            }
        }
        if (showCost) {
            fact(facts, "Provider cost", Formats.precise(call.providerCost(), call.currency()));
        }
        if (detail.twilio() != null) {
            CallDetail.Twilio twilio = detail.twilio();
            fact(facts, "Twilio CallSid", twilio.callSid());
            fact(facts, "Twilio status", twilio.status() == null ? "no callback yet" : twilio.status());
            fact(facts, "Twilio duration", twilio.durationSeconds() == null ? "–"
                    : Formats.duration(twilio.durationSeconds()));
        }
        add(facts);

        add(new H3("Cost components"));
        Grid<CallDetail.Component> components = new Grid<>(CallDetail.Component.class, false);
        components.addClassName("vl-components");
        components.addColumn(CallDetail.Component::layer).setHeader("Layer").setAutoWidth(true).setFlexGrow(0);
        components.addColumn(c -> c.provider() + " " + c.model()).setHeader("Provider and model").setWidth("11rem")
                .setFlexGrow(1);
        components.addColumn(CallDetail.Component::unit).setHeader("Unit").setAutoWidth(true).setFlexGrow(0);
        components.addColumn(c -> Formats.quantity(c.quantity())).setHeader("Quantity")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        components.addColumn(c -> priceOf(rated, c.seq()).map(p -> p.unitPrice() == null ? "–"
                        : Formats.precise(p.unitPrice(), rated.currency())).orElse("–")).setHeader("Unit price")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        components.addColumn(c -> priceOf(rated, c.seq()).map(p -> Formats.charge(p.charge(), rated.currency()))
                .orElse("–")).setHeader("Charge").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        components.addColumn(c -> priceOf(rated, c.seq()).map(RatedCall.Component::rateSource).orElse("not rated"))
                .setHeader("Price from").setWidth("14rem").setFlexGrow(2);
        components.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        components.setItems(detail.components());
        components.setAllRowsVisible(true);
        components.setEmptyStateText("No billable components: the call never connected.");
        add(components);

        add(new H3("Timeline"));
        Grid<CallDetail.StatusStep> timeline = new Grid<>(CallDetail.StatusStep.class, false);
        timeline.addColumn(step -> Formats.instant(step.occurredAt(), zone)).setHeader(Formats.zoneLabel("At", zone)).setAutoWidth(true);
        timeline.addColumn(CallDetail.StatusStep::status).setHeader("Status").setAutoWidth(true);
        timeline.addColumn(CallDetail.StatusStep::endedReason).setHeader("Ended reason").setAutoWidth(true);
        timeline.setItems(detail.timeline());
        timeline.setAllRowsVisible(true);
        add(timeline);

        if (detail.artifactJson() != null) {
            add(new H3("Artifact (transcript, messages, recording)"));
            Pre artifact = new Pre(detail.artifactJson());
            artifact.addClassName("vl-pre");
            add(artifact);
        } else if (detail.transcriptNote() != null) {
            add(new H3("Transcript"));
            Paragraph note = new Paragraph(detail.transcriptNote());
            note.addClassName("vl-muted");
            add(note);
        }
    }

    private static java.util.Optional<RatedCall.Component> priceOf(@Nullable RatedCall rated, int seq) {
        return rated == null ? java.util.Optional.empty()
                : rated.components().stream().filter(c -> c.seq() == seq).findFirst();
    }

    private static void fact(Div facts, String label, String value) {
        Span term = new Span(label);
        term.addClassName("vl-muted");
        Component definition = new Span(value == null ? "–" : value);
        Div row = new Div(term, definition);
        row.addClassName("vl-fact");
        facts.add(row);
    }

    /** "Front desk (asst-123)": the name and, in the details, the id it stands for. */
    private @Nullable String named(@Nullable CustomerId customer, ResourceNames.Kind kind, @Nullable String id) {
        if (id == null || customer == null) {
            return id;
        }
        String name = names.names(customer, kind).get(id);
        return name == null ? id : name + " (" + id + ")";
    }
}
