package com.voiceledger.admin.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractService;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.ratecard.RateCardVersion;
import com.voiceledger.rating.WhatIf;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Role;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.ui.WhatIfComparisonPanel;
import jakarta.annotation.security.RolesAllowed;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What-if for finance: a customer's month priced again under another rate card version and/or other
 * contract terms (its own earlier contracts, list prices, or another customer's contract as a
 * template), beside what it was charged; and the scenario offered to the customer, who then sees it.
 */
@Route("admin/what-if")
@PageTitle("What-if · VoiceLedger")
@Menu(title = "What-if pricing", order = 145, icon = "vaadin:scale")
@RolesAllowed(Role.FINANCE)
class WhatIfView extends VerticalLayout implements BeforeEnterObserver {

    /** A contract choice: as in force, list prices, or some contract's terms. */
    record ContractOption(String label, boolean keep, @Nullable Contract contract) {
    }

    private final CustomerService customers;
    private final ContractService contracts;
    private final RateCardService rateCard;
    private final WhatIf whatIf;
    private final CurrentUser currentUser;
    private final Clock clock;
    final ComboBox<Customer> customer = new ComboBox<>("Customer");
    final ComboBox<YearMonth> month = new ComboBox<>("Month");
    final ComboBox<String> version = new ComboBox<>("Rate card");
    final ComboBox<ContractOption> contract = new ComboBox<>("Contract");
    final Button compare = new Button("Compare");
    final TextField note = new TextField("Note to the customer");
    final Button offer = new Button("Offer to customer");
    final VerticalLayout result = new VerticalLayout();
    private WhatIf.@Nullable Comparison shown;
    private WhatIf.@Nullable Scenario shownScenario;

    WhatIfView(CustomerService customers, ContractService contracts, RateCardService rateCard, WhatIf whatIf,
            CurrentUser currentUser, Clock clock) {
        this.customers = customers;
        this.contracts = contracts;
        this.rateCard = rateCard;
        this.whatIf = whatIf;
        this.currentUser = currentUser;
        this.clock = clock;
        addClassName("vl-page");
        customer.setItemLabelGenerator(c -> c.name() + " (" + c.externalId() + ")");
        customer.addValueChangeListener(event -> contractOptions());
        contract.setItemLabelGenerator(ContractOption::label);
        compare.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        compare.addClickListener(event -> compare());
        compare.setDisableOnClick(true);
        note.setPlaceholder("e.g. the per-minute plan we discussed");
        note.setWidth("24rem");
        offer.addClickListener(event -> offer());
        result.setPadding(false);
        HorizontalLayout form = new HorizontalLayout(customer, month, version, contract, compare);
        form.setWrap(true);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        HorizontalLayout share = new HorizontalLayout(note, offer);
        share.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        share.setWrap(true);
        offer.setEnabled(false);
        Paragraph intro = new Paragraph("Price a month's calls again under another rate card version or other contract "
                + "terms, beside what they were charged. Nothing is stored until you offer it to the customer.");
        intro.addClassName("vl-muted");
        add(new H2("What-if pricing"), intro, form, result, share);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        List<Customer> all = customers.list();
        customer.setItems(all);
        YearMonth current = YearMonth.now(clock);
        month.setItems(Stream.iterate(current, m -> m.minusMonths(1)).limit(13).toList());
        month.setValue(current.minusMonths(1));
        List<String> versions = new ArrayList<>();
        versions.add("As in force for each call");
        rateCard.versions().reversed().forEach(v -> versions.add(versionLabel(v)));
        version.setItems(versions);
        version.setValue(versions.getFirst());
        event.getLocation().getQueryParameters().getSingleParameter("customer").flatMap(customers::findByExternalId)
                .ifPresent(customer::setValue);
    }

    private static String versionLabel(RateCardVersion v) {
        return "v" + v.number() + " (from " + v.effectiveFrom() + ")";
    }

    private void contractOptions() {
        List<ContractOption> options = new ArrayList<>();
        options.add(new ContractOption("As in force for each call", true, null));
        options.add(new ContractOption("No contract: list prices", false, null));
        Customer chosen = customer.getValue();
        if (chosen != null) {
            contracts.contractsOf(chosen.id()).reversed().forEach(c -> options.add(new ContractOption(
                    "Own, from " + c.effectiveFrom() + ": " + ContractSummary.of(c.terms(), c.currency()), false, c)));
        }
        for (Customer other : customers.list()) {
            if (chosen != null && other.id().equals(chosen.id())) {
                continue;
            }
            contracts.contractAt(other.id(), clock.instant()).ifPresent(c -> options.add(new ContractOption(
                    "Like " + other.name() + ": " + ContractSummary.of(c.terms(), c.currency()), false, c)));
        }
        contract.setItems(options);
        contract.setValue(options.getFirst());
    }

    private void compare() {
        try {
            if (customer.getValue() == null || month.getValue() == null || contract.getValue() == null) {
                throw new BadRequestException("pick a customer, a month and a contract");
            }
            Integer versionNumber = version.getValue() == null || !version.getValue().startsWith("v") ? null
                    : Integer.valueOf(version.getValue().substring(1, version.getValue().indexOf(' ')));
            ContractOption option = contract.getValue();
            String label = (versionNumber == null ? "" : "rate card v" + versionNumber + ", ")
                    + (option.contract() == null ? (option.keep() ? "current contract" : "list prices")
                    : ContractSummary.of(option.contract().terms(), option.contract().currency()));
            WhatIf.Scenario scenario = new WhatIf.Scenario(label, versionNumber, option.keep(),
                    option.contract() == null ? null : option.contract().terms(),
                    option.contract() == null ? null : option.contract().currency());
            shown = whatIf.compare(customer.getValue(), month.getValue(), scenario);
            shownScenario = scenario;
            result.removeAll();
            result.add(new WhatIfComparisonPanel(shown));
            offer.setEnabled(true);
        } catch (BadRequestException e) {
            Notification.show(e.getMessage(), 5000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        } finally {
            compare.setEnabled(true);
        }
    }

    private void offer() {
        if (shownScenario == null || customer.getValue() == null) {
            return;
        }
        try {
            whatIf.offer(customer.getValue(), shownScenario, note.getValue(), currentUser.require().name());
            Notification.show("Offered to " + customer.getValue().name() + ": they see it under What-if offers", 5000,
                    Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            note.clear();
        } catch (BadRequestException e) {
            Notification.show(e.getMessage(), 5000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }
}
