package com.voiceledger.portal.ui;

import com.voiceledger.ui.ViewAs;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.rating.RatedCall;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.ui.Formats;
import com.voiceledger.usage.CallFilter;
import com.voiceledger.usage.CallQueries;
import com.voiceledger.usage.CallSummary;
import com.voiceledger.usage.ResourceNames;
import jakarta.annotation.security.PermitAll;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A customer's calls, newest first, filtered by date and assistant; a click opens the call. Finance
 * picks the customer to look at (read-only, as that customer sees it).
 */
@Route("calls")
@PageTitle("Calls · VoiceLedger")
@Menu(title = "Calls", order = 10, icon = "vaadin:phone")
@PermitAll
class CallsView extends VerticalLayout implements BeforeEnterObserver {

    private final CallQueries calls;
    private final RatingQueries rating;
    private final CustomerScope scope;
    /** Charges of the rows fetched so far (the grid fetches a slice, then renders it). */
    private final Map<String, RatedCall> charges = new HashMap<>();
    private final boolean finance;
    final ComboBox<Customer> customerPicker = new ComboBox<>("Customer");
    final DatePicker from = new DatePicker("From");
    final DatePicker to = new DatePicker("To (inclusive)");
    final ComboBox<String> assistant = new ComboBox<>("Assistant");
    final Grid<CallSummary> grid = new Grid<>(CallSummary.class, false);
    private final Paragraph empty = new Paragraph();
    private final Anchor csvLink = new Anchor("", "Download CSV");
    private final Grid.Column<CallSummary> timeColumn;
    private @Nullable Customer customer;
    private final ResourceNames names;
    /** The shown customer's assistant names (id → name); the id where it has none. */
    private Map<String, String> assistantNames = Map.of();

    CallsView(CallQueries calls, RatingQueries rating, CustomerScope scope, CurrentUser currentUser,
            CustomerService customers, ResourceNames names) {
        this.names = names;
        this.calls = calls;
        this.rating = rating;
        this.scope = scope;
        this.finance = currentUser.require().isFinance();
        addClassName("vl-page");
        setSizeFull();

        customerPicker.setItems(finance ? customers.list() : List.of());
        customerPicker.setItemLabelGenerator(c -> c.name() + " (" + c.externalId() + ")");
        // viewing as a customer shows that customer's calls only, as the customer sees them
        customerPicker.setVisible(finance && ViewAs.customer().isEmpty());
        customerPicker.addValueChangeListener(event -> showCustomer(event.getValue()));
        from.addValueChangeListener(event -> refresh());
        to.addValueChangeListener(event -> refresh());
        assistant.setClearButtonVisible(true);
        assistant.addValueChangeListener(event -> refresh());
        csvLink.setRouterIgnore(true);
        csvLink.getElement().setAttribute("download", true);

        HorizontalLayout filters = new HorizontalLayout(customerPicker, from, to, assistant, csvLink);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        filters.setWrap(true);

        timeColumn = grid.addColumn(call -> Formats.instant(call.callTime(), zone())).setHeader("Time")
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(CallSummary::type).setHeader("Type").setAutoWidth(true);
        grid.addColumn(CallSummary::status).setHeader("Status").setAutoWidth(true);
        grid.addColumn(call -> Formats.duration(call.durationSeconds())).setHeader("Duration")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(CallSummary::endedReason).setHeader("Ended reason").setAutoWidth(true);
        grid.addColumn(call -> assistantLabel(call.assistantId())).setHeader("Assistant").setWidth("12rem").setFlexGrow(1)
                .setTooltipGenerator(CallSummary::assistantId);
        grid.addColumn(call -> charges.containsKey(call.id())
                        ? Formats.charge(charges.get(call.id()).charge(), charges.get(call.id()).currency())
                                + (charges.get(call.id()).unpriced() ? " *" : "")
                        : "–").setHeader("Charge").setTooltipGenerator(call -> "* some usage has no price yet")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true).setFlexGrow(0).setFrozenToEnd(true);
        grid.addItemClickListener(event -> getUI().ifPresent(ui -> ui.navigate("calls/" + event.getItem().id(),
                finance && customer != null ? QueryParameters.simple(Map.of("customer", customer.externalId()))
                        : QueryParameters.empty())));
        grid.setSizeFull();
        grid.setEmptyStateText("No calls in this range. Calls appear here as soon as the platform reports them.");

        add(new H2("Calls"), filters, empty, grid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters();
        if (!finance) {
            showCustomer(scope.resolve(null));
            applyRange(parameters);
            return;
        }
        String requested = parameters.getSingleParameter("customer").or(ViewAs::customer).orElse(null);
        if (requested != null) {
            customerPicker.getListDataView().getItems().filter(c -> c.externalId().equals(requested)).findFirst()
                    .ifPresent(customerPicker::setValue);
        }
        if (customer == null) {
            empty.setText("Pick a customer to see its calls as the customer sees them.");
        } else {
            applyRange(parameters);
        }
    }

    /** Links from invoice lines carry the calls' time range ({@code from}, {@code to}: instants). */
    private void applyRange(com.vaadin.flow.router.QueryParameters parameters) {
        parameters.getSingleParameter("from").map(CallsView::instant).ifPresent(from ->
                this.from.setValue(from.atZone(zone()).toLocalDate()));
        parameters.getSingleParameter("to").map(CallsView::instant).ifPresent(to ->
                this.to.setValue(to.minusMillis(1).atZone(zone()).toLocalDate()));
    }

    private static java.time.Instant instant(String value) {
        try {
            return com.voiceledger.shared.InputBounds.instant("date", value);
        } catch (com.voiceledger.shared.BadRequestException e) {
            return null;
        }
    }

    private void showCustomer(@Nullable Customer selected) {
        customer = selected;
        empty.setText("");
        timeColumn.setHeader("Time (" + zone().getId() + ")");
        assistantNames = selected == null ? Map.of() : names.names(selected.id(), ResourceNames.Kind.ASSISTANT);
        assistant.setItems(selected == null ? List.of() : calls.assistants(selected.id()));
        assistant.setItemLabelGenerator(this::assistantLabel);
        refresh();
    }

    private String assistantLabel(@Nullable String id) {
        return id == null ? "" : assistantNames.getOrDefault(id, id);
    }

    private void refresh() {
        if (customer == null) {
            grid.setItems(List.<CallSummary>of());
            return;
        }
        Customer owner = customer;
        CallFilter filter = filter();
        grid.setItems(query -> {
                    List<CallSummary> slice = calls.slice(owner.id(), filter, query.getOffset(), query.getLimit());
                    charges.putAll(rating.ratedCalls(owner.id(), slice.stream().map(CallSummary::id).toList()));
                    return slice.stream();
                },
                query -> (int) Math.min(Integer.MAX_VALUE, calls.count(owner.id(), filter)));
        StringBuilder href = new StringBuilder("api/v1/calls.csv?");
        if (filter.from() != null) {
            href.append("from=").append(filter.from()).append('&');
        }
        if (filter.to() != null) {
            href.append("to=").append(filter.to()).append('&');
        }
        if (filter.assistantId() != null) {
            href.append("assistantId=").append(filter.assistantId()).append('&');
        }
        if (finance) {
            href.append("customer=").append(owner.externalId());
        }
        csvLink.setHref(href.toString());
    }

    private CallFilter filter() {
        ZoneId zone = zone();
        LocalDate fromDate = from.getValue();
        LocalDate toDate = to.getValue();
        return new CallFilter(fromDate == null ? null : fromDate.atStartOfDay(zone).toInstant(),
                toDate == null ? null : toDate.plusDays(1).atStartOfDay(zone).toInstant(), assistant.getValue());
    }

    private ZoneId zone() {
        return customer == null ? ZoneId.of("UTC") : customer.billingTimeZone();
    }
}
