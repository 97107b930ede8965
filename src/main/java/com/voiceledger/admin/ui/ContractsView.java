package com.voiceledger.admin.ui;

import com.voiceledger.ui.Formats;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.contract.Commitment;
import com.voiceledger.contract.CommitmentPeriod;
import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractLimits;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.UnitGrant;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.contract.SpendCap;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.rating.RatedCall;
import com.voiceledger.rating.RatingService;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Role;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Layer;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A customer's contracts (effective-dated, never edited) and the form for the next one, with a
 * preview of what a typical call would cost under the draft terms.
 */
@Route("admin/contracts")
@PageTitle("Contracts · VoiceLedger")
@Menu(title = "Contracts", order = 106, icon = "vaadin:file-text-o")
@RolesAllowed(Role.FINANCE)
class ContractsView extends VerticalLayout implements BeforeEnterObserver {

    private final ContractService contracts;
    private final RatingService rating;
    private final CurrentUser currentUser;
    private final Clock clock;

    final ComboBox<Customer> customer = new ComboBox<>("Customer");
    final Grid<Contract> history = new Grid<>(Contract.class, false);
    final DateTimePicker effectiveFrom = new DateTimePicker("Effective from (UTC)");
    final RadioButtonGroup<PricingModel> model = new RadioButtonGroup<>("Pricing model");
    final Map<String, TextField> markups = new LinkedHashMap<>();
    final TextArea overrides = new TextArea("Price overrides (one per line: layer provider model unit price)");
    /** Grants in units (issue #30): one per line, {@code layer provider model unit amount PERIOD [max=N|share=S]}. */
    final TextArea grants = new TextArea("Included usage (one per line: layer provider model unit amount MONTH|QUARTER|YEAR"
            + " [max=units or share=0.2 rolls over])");
    final TextField perMinuteRate = new TextField("Rate per minute");
    final TextField minimumCharge = new TextField("Minimum charge per call");
    final TextField increment = new TextField("Billing increment (seconds)");
    final TextField includedMinutes = new TextField("Included minutes per month");
    final TextField commitmentAmount = new TextField("Commitment amount");
    final ComboBox<CommitmentPeriod> commitmentPeriod = new ComboBox<>("Commitment period");
    final Checkbox prepaid = new Checkbox("Prepaid");
    final TextField overageMultiplier = new TextField("Overage multiplier");
    final TextField spendCap = new TextField("Monthly spend cap");
    final TextField thresholds = new TextField("Alert thresholds (%)");
    final TextField concurrentCalls = new TextField("Calls at once (limit)");
    final TextField concurrentPerAssistant = new TextField("Calls at once per assistant");
    final TextField maxCallSeconds = new TextField("Longest call (seconds)");
    final TextField allowedModels = new TextField("Allowed models (provider/model, comma-separated, * wildcard)");
    final TextField reason = new TextField("Reason (for the audit log)");
    final Pre preview = new Pre();
    final Button save = new Button("Add contract");

    ContractsView(CustomerService customers, ContractService contracts, RatingService rating, CurrentUser currentUser,
            Clock clock) {
        this.contracts = contracts;
        this.rating = rating;
        this.currentUser = currentUser;
        this.clock = clock;
        addClassName("vl-page");

        customer.setItems(customers.list());
        customer.setItemLabelGenerator(c -> c.name() + " (" + c.externalId() + ", " + c.currency() + ")");
        customer.setWidth("24rem");
        customer.addValueChangeListener(event -> showHistory());

        history.addColumn(Contract::label).setHeader("Contract").setAutoWidth(true);
        history.addColumn(c -> RateCardView.UTC.format(c.effectiveFrom())).setHeader("Effective from (UTC)")
                .setAutoWidth(true);
        history.addColumn(c -> c.terms().pricingModel()).setHeader("Model").setAutoWidth(true);
        history.addColumn(c -> ContractSummary.of(c.terms(), c.currency())).setHeader("Terms").setWidth("20rem")
                .setFlexGrow(2);
        history.addColumn(Contract::reason).setHeader("Why").setWidth("14rem").setFlexGrow(1);
        history.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        history.setAllRowsVisible(true);
        history.setEmptyStateText("No contract: this customer pays rate card list prices.");

        effectiveFrom.setValue(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).withSecond(0).withNano(0));
        model.setItems(PricingModel.values());
        model.setValue(PricingModel.RATE_CARD);
        model.addValueChangeListener(event -> showModelFields());
        FormLayout markupForm = new FormLayout();
        Layer.ALL.stream().sorted().forEach(layer -> {
            TextField field = new TextField("Markup " + layer + " (%)");
            field.setPlaceholder("0");
            markups.put(layer, field);
            markupForm.add(field);
        });
        overrides.setPlaceholder("llm openai gpt-4o prompt_token 0.000002");
        overrides.setWidthFull();
        grants.setPlaceholder("platform vapi * minute 5000 MONTH max=1000");
        grants.setWidthFull();
        increment.setValue("60");
        commitmentPeriod.setItems(CommitmentPeriod.values());
        thresholds.setValue("50, 80, 100");
        reason.setWidthFull();
        preview.addClassName("vl-pre");
        Button previewButton = new Button("Preview a typical call", event -> showPreview());
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(event -> addContract());

        FormLayout perMinuteForm = new FormLayout(perMinuteRate, minimumCharge, increment, includedMinutes);
        FormLayout commonForm = new FormLayout(commitmentAmount, commitmentPeriod, prepaid, overageMultiplier, spendCap,
                thresholds);
        FormLayout limitsForm = new FormLayout(concurrentCalls, concurrentPerAssistant, maxCallSeconds, allowedModels);
        limitsForm.setId("admission-limits");
        allowedModels.setPlaceholder("openai/gpt-4o, 11labs/*, deepgram/*");
        perMinuteForm.setId("per-minute-terms");
        markupForm.setId("rate-card-terms");
        add(new H2("Contracts"), customer, history, new H3("Next contract"),
                new Paragraph("A contract is never edited: a change is a new contract from a later instant. The "
                        + "customer's calls from that instant on are re-rated."),
                new HorizontalLayout(effectiveFrom, model), markupForm, overrides, perMinuteForm, commonForm,
                grants, new H3("Limits at admission"), limitsForm, reason,
                new HorizontalLayout(previewButton, save), preview);
        showModelFields();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        event.getLocation().getQueryParameters().getSingleParameter("customer").ifPresent(externalId ->
                customer.getListDataView().getItems().filter(c -> c.externalId().equals(externalId)).findFirst()
                        .ifPresent(customer::setValue));
    }

    private void showModelFields() {
        boolean perMinute = model.getValue() == PricingModel.PER_MINUTE;
        markups.values().forEach(field -> field.setVisible(!perMinute));
        overrides.setVisible(!perMinute);
        grants.setVisible(!perMinute);
        perMinuteRate.setVisible(perMinute);
        minimumCharge.setVisible(perMinute);
        increment.setVisible(perMinute);
        includedMinutes.setVisible(perMinute);
    }

    private void showHistory() {
        history.setItems(customer.getValue() == null ? List.of() : contracts.contractsOf(customer.getValue().id()));
    }

    /** The form as contract terms; throws {@link BadRequestException} saying which field is wrong. */
    ContractTerms terms() {
        boolean perMinute = model.getValue() == PricingModel.PER_MINUTE;
        Map<String, BigDecimal> markup = new LinkedHashMap<>();
        if (!perMinute) {
            markups.forEach((layer, field) -> {
                BigDecimal value = decimal(field);
                if (value != null && value.signum() != 0) {
                    markup.put(layer, value);
                }
            });
        }
        List<RateEntry> overrideEntries = new ArrayList<>();
        if (!perMinute) {
            for (String line : overrides.getValue().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
                String[] parts = line.split("\\s+");
                if (parts.length != 5) {
                    throw new BadRequestException("override line '" + line + "' needs: layer provider model unit price");
                }
                overrideEntries.add(new RateEntry(parts[0], parts[1], parts[2], parts[3], number(parts[4], "override price")));
            }
        }
        BigDecimal commitment = decimal(commitmentAmount);
        BigDecimal cap = decimal(spendCap);
        return new ContractTerms(model.getValue(), markup, overrideEntries, perMinute ? decimal(perMinuteRate) : null,
                perMinute ? decimal(minimumCharge) : null, perMinute ? integer(increment) : 60,
                perMinute ? decimal(includedMinutes) : null,
                commitment == null ? null : new Commitment(commitment, commitmentPeriod.getValue(), prepaid.getValue()),
                decimal(overageMultiplier),
                cap == null ? null : new SpendCap(cap, Arrays.stream(thresholds.getValue().split(","))
                        .map(String::strip).filter(s -> !s.isEmpty()).map(s -> number(s, "alert threshold").intValueExact())
                        .toList()), false, limits(), perMinute ? List.of() : unitGrants());
    }

    /** The included-usage lines as grants; a line that cannot be one is refused, naming it. */
    private List<UnitGrant> unitGrants() {
        List<UnitGrant> result = new ArrayList<>();
        for (String line : grants.getValue().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String[] parts = line.split("\\s+");
            if (parts.length < 6 || parts.length > 7) {
                throw new BadRequestException("included usage line '" + line
                        + "' needs: layer provider model unit amount MONTH|QUARTER|YEAR [max=units or share=0.2]");
            }
            CommitmentPeriod period;
            try {
                period = CommitmentPeriod.valueOf(parts[5].toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("included usage line '" + line + "': the period is MONTH, QUARTER or YEAR");
            }
            UnitGrant.Rollover rollover = null;
            if (parts.length == 7) {
                String[] rule = parts[6].split("=", 2);
                if (rule.length != 2 || !(rule[0].equals("max") || rule[0].equals("share"))) {
                    throw new BadRequestException("included usage line '" + line + "': rollover is max=units or share=0.2");
                }
                BigDecimal value = number(rule[1], "rollover");
                rollover = rule[0].equals("max") ? new UnitGrant.Rollover(value, null) : new UnitGrant.Rollover(null, value);
            }
            result.add(new UnitGrant(parts[0], parts[1], parts[2], parts[3], number(parts[4], "included amount"), period,
                    rollover));
        }
        return result;
    }

    /** The limits fields as contract limits, or null when all are empty. */
    private @Nullable ContractLimits limits() {
        List<String> models = Arrays.stream(allowedModels.getValue().split(",")).map(String::strip)
                .filter(entry -> !entry.isEmpty()).toList();
        Integer concurrent = wholeNumber(concurrentCalls);
        Integer perAssistant = wholeNumber(concurrentPerAssistant);
        Integer longest = wholeNumber(maxCallSeconds);
        return concurrent == null && perAssistant == null && longest == null && models.isEmpty() ? null
                : new ContractLimits(concurrent, perAssistant, longest, models);
    }

    private static @Nullable Integer wholeNumber(TextField field) {
        BigDecimal value = decimal(field);
        if (value == null) {
            return null;
        }
        try {
            return value.intValueExact();
        } catch (ArithmeticException e) {
            throw new BadRequestException(field.getLabel() + " must be a whole number");
        }
    }

    private void showPreview() {
        if (customer.getValue() == null) {
            notify("Pick a customer first", NotificationVariant.LUMO_CONTRAST);
            return;
        }
        try {
            ContractTerms terms = terms();
            RatedCall rated = rating.preview(customer.getValue(), terms, instant());
            List<com.voiceledger.rating.GrantDrawing.Draw> drawn = rating.previewDraws(terms);
            StringBuilder text = new StringBuilder("A typical call (3 min 12 s, gpt-4o, ElevenLabs) would cost "
                    + Formats.precise(rated.charge(), rated.currency()) + ":\n");
            List<com.voiceledger.rating.CallToRate.Component> example = rating.exampleCall();
            for (RatedCall.Component component : rated.components()) {
                var usage = example.get(component.seq());
                text.append("  ").append(usage.layer()).append(' ').append(usage.unit()).append(' ')
                        .append(usage.quantity().toPlainString()).append(" × ")
                        .append(Formats.precise(component.unitPrice(), rated.currency()))
                        .append(" = ").append(Formats.precise(component.charge(), rated.currency()))
                        .append("   (").append(component.rateSource()).append(")");
                drawn.stream().filter(d -> d.seq() == component.seq()).forEach(d -> text.append("; ")
                        .append(d.units().toPlainString()).append(" included by grant ").append(d.grantId()));
                text.append('\n');
            }
            if (rated.billableSeconds() > 0) {
                text.append("  billable ").append(rated.billableSeconds()).append(" s, ").append(rated.rateSource());
            }
            preview.setText(text.toString());
        } catch (BadRequestException e) {
            notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
        }
    }

    private void addContract() {
        if (customer.getValue() == null) {
            notify("Pick a customer first", NotificationVariant.LUMO_CONTRAST);
            return;
        }
        try {
            Contract added = contracts.add(customer.getValue(), instant(), null, terms(), reason.getValue(),
                    currentUser.require().name());
            showHistory();
            reason.clear();
            notify(added.label() + " added; the customer's calls from " + RateCardView.UTC.format(added.effectiveFrom())
                    + " are being re-rated", NotificationVariant.LUMO_SUCCESS);
        } catch (BadRequestException e) {
            notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
        }
    }

    private java.time.Instant instant() {
        if (effectiveFrom.getValue() == null) {
            throw new BadRequestException("effective from is required");
        }
        return effectiveFrom.getValue().toInstant(ZoneOffset.UTC);
    }

    private static @Nullable BigDecimal decimal(TextField field) {
        String value = field.getValue();
        return value == null || value.isBlank() ? null : number(value, field.getLabel());
    }

    private static int integer(TextField field) {
        BigDecimal value = decimal(field);
        return value == null ? 60 : value.intValue();
    }

    private static BigDecimal number(String value, String what) {
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException(what + " is not a number: '" + value + "'");
        }
    }

    private static void notify(String message, NotificationVariant variant) {
        Notification.show(message, 6000, Notification.Position.BOTTOM_START).addThemeVariants(variant);
    }
}
