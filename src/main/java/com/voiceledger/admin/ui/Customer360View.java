package com.voiceledger.admin.ui;

import com.voiceledger.ui.NamesPanel;
import com.voiceledger.ui.TranscriptPolicyPanel;
import com.voiceledger.ui.BillingDetailsPanel;
import com.voiceledger.customer.BillingDetailsService;
import com.voiceledger.usage.TranscriptPolicies;
import com.voiceledger.usage.ResourceNames;
import com.voiceledger.security.CurrentUser;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.audit.AuditEntry;
import com.voiceledger.audit.AuditLog;
import com.voiceledger.billing.BurnDowns;
import com.voiceledger.billing.CreditGrant;
import com.voiceledger.billing.CreditService;
import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.billing.InvoiceIssuing;
import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractService;
import com.voiceledger.guard.CostGuards;
import com.voiceledger.guard.Finding;
import com.voiceledger.guard.GuardRule;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.rating.Margins;
import com.voiceledger.rating.MarginRow;
import com.voiceledger.rating.MonthCharges;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.security.Role;
import com.voiceledger.spendcap.Alert;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.spendcap.SpendStatus;
import com.voiceledger.ui.Formats;
import com.voiceledger.ui.ViewAs;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Customer 360: everything finance needs about one customer on one page (contract history, this and
 * last month's usage and margin, commitment, invoices, credits, alerts, the audit trail) and the way
 * into the customer's own portal, read-only ("view as customer").
 */
@Route("admin/customers/:externalId")
@PageTitle("Customer · VoiceLedger")
@RolesAllowed(Role.FINANCE)
class Customer360View extends VerticalLayout implements BeforeEnterObserver {

    private final CustomerService customers;
    private final ContractService contracts;
    private final RatingQueries rating;
    private final Margins margins;
    private final SpendCaps spendCaps;
    private final BurnDowns burnDowns;
    private final InvoiceService invoices;
    private final CreditService credits;
    private final Alerts alerts;
    private final AuditLog audit;
    private final Clock clock;
    final H2 title = new H2();
    final Div facts = new Div();
    final Button viewAs = new Button("View as customer");
    final Grid<Contract> contractGrid = new Grid<>(Contract.class, false);
    final Grid<MonthCharges> usageGrid = new Grid<>(MonthCharges.class, false);
    final Grid<Invoice> invoiceGrid = new Grid<>(Invoice.class, false);
    final Grid<CreditGrant> creditGrid = new Grid<>(CreditGrant.class, false);
    final Grid<Alert> alertGrid = new Grid<>(Alert.class, false);
    final Grid<AuditEntry> auditGrid = new Grid<>(AuditEntry.class, false);
    /** Calls that used a model off the contract's list anyway (issue #29): priced as usual, for finance to follow up. */
    final Grid<Finding> flagGrid = new Grid<>(Finding.class, false);
    private final CostGuards guards;
    private final Paragraph commitment = new Paragraph();
    private final HorizontalLayout links = new HorizontalLayout();
    private ZoneId zone = ZoneOffset.UTC;
    private @Nullable Customer shown;
    private final ResourceNames names;
    private final CurrentUser currentUser;
    final VerticalLayout namesSection = new VerticalLayout();
    final VerticalLayout transcriptSection = new VerticalLayout();
    private final TranscriptPolicies transcripts;
    final VerticalLayout billingDetailsSection = new VerticalLayout();
    private final BillingDetailsService billingDetails;
    final BillingCalendarPanel billingCalendar;

    Customer360View(CustomerService customers, ContractService contracts, RatingQueries rating, Margins margins,
            SpendCaps spendCaps, BurnDowns burnDowns, InvoiceService invoices, CreditService credits, Alerts alerts,
            AuditLog audit, Clock clock, ResourceNames names, CurrentUser currentUser, InvoiceIssuing issuing,
            TranscriptPolicies transcripts, CostGuards guards, BillingDetailsService billingDetails) {
        this.billingDetails = billingDetails;
        this.transcripts = transcripts;
        this.guards = guards;
        this.billingCalendar = new BillingCalendarPanel(issuing, () -> currentUser.require().name());
        this.names = names;
        this.currentUser = currentUser;
        this.customers = customers;
        this.contracts = contracts;
        this.rating = rating;
        this.margins = margins;
        this.spendCaps = spendCaps;
        this.burnDowns = burnDowns;
        this.invoices = invoices;
        this.credits = credits;
        this.alerts = alerts;
        this.audit = audit;
        this.clock = clock;
        addClassName("vl-page");
        facts.addClassName("vl-facts");
        viewAs.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        viewAs.setTooltipText("Open this customer's portal exactly as its users see it, read-only");
        viewAs.addClickListener(click -> {
            if (shown != null) {
                ViewAs.start(shown.externalId());
                getUI().ifPresent(ui -> ui.navigate("dashboard"));
            }
        });
        links.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        links.setWrap(true);

        contractGrid.addColumn(contract -> Formats.instant(contract.effectiveFrom(), zone)).setHeader("From (customer's time zone)").setAutoWidth(true);
        contractGrid.addColumn(contract -> ContractSummary.of(contract.terms(), contract.currency())).setHeader("Terms")
                .setFlexGrow(2);
        contractGrid.addColumn(Contract::reason).setHeader("Reason").setFlexGrow(1);
        contractGrid.setEmptyStateText("No contract: calls are priced at the rate card's list prices.");

        usageGrid.addColumn(month -> month.month().toString()).setHeader("Month").setAutoWidth(true);
        usageGrid.addColumn(MonthCharges::calls).setHeader("Calls").setTextAlign(ColumnTextAlign.END);
        usageGrid.addColumn(month -> BigDecimal.valueOf(month.durationSeconds()).divide(BigDecimal.valueOf(60), 0,
                RoundingMode.HALF_EVEN)).setHeader("Minutes").setTextAlign(ColumnTextAlign.END);
        usageGrid.addColumn(month -> Formats.total(month.charge(), month.currency())).setHeader("Charge")
                .setTextAlign(ColumnTextAlign.END);
        usageGrid.addColumn(month -> month.providerCost() == null ? "–" : Formats.total(month.providerCost(), "USD"))
                .setHeader("Provider cost").setTextAlign(ColumnTextAlign.END);
        usageGrid.addColumn(month -> margin(month)).setHeader("Margin").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        usageGrid.addColumn(MonthCharges::unpricedCalls).setHeader("Unpriced calls").setTextAlign(ColumnTextAlign.END);

        invoiceGrid.addColumn(Invoice::number).setHeader("Invoice").setAutoWidth(true);
        invoiceGrid.addColumn(invoice -> invoice.month().toString()).setHeader("Month").setAutoWidth(true);
        invoiceGrid.addColumn(invoice -> Formats.money(invoice.total(), invoice.currency())).setHeader("Total")
                .setTextAlign(ColumnTextAlign.END);
        invoiceGrid.addColumn(Invoice::status).setHeader("Status").setAutoWidth(true);
        invoiceGrid.setEmptyStateText("No closed month yet (Billing → Close month).");
        invoiceGrid.addItemClickListener(click -> getUI().ifPresent(ui -> ui.navigate("invoices/"
                + click.getItem().id() + "?customer=" + (shown == null ? "" : shown.externalId()))));

        creditGrid.addColumn(grant -> Formats.money(grant.amount(), grant.currency())).setHeader("Granted")
                .setTextAlign(ColumnTextAlign.END);
        creditGrid.addColumn(grant -> Formats.money(grant.balance(), grant.currency())).setHeader("Balance")
                .setTextAlign(ColumnTextAlign.END);
        creditGrid.addColumn(grant -> grant.expiresAt() == null ? "never" : Formats.instant(grant.expiresAt(), zone))
                .setHeader("Expires (customer's time zone)").setAutoWidth(true);
        creditGrid.addColumn(CreditGrant::reason).setHeader("Reason").setFlexGrow(1);
        creditGrid.setEmptyStateText("No credits granted.");

        alertGrid.addColumn(alert -> Formats.instant(alert.createdAt(), zone)).setHeader("When (customer's time zone)").setAutoWidth(true);
        alertGrid.addColumn(Alert::kind).setHeader("Kind").setAutoWidth(true);
        alertGrid.addColumn(Alert::message).setHeader("Message").setFlexGrow(1);
        alertGrid.addColumn(Alert::deliveryStatus).setHeader("Delivery").setAutoWidth(true);
        alertGrid.setEmptyStateText("No alerts raised.");

        auditGrid.addColumn(entry -> Formats.instant(entry.at(), zone)).setHeader("When (customer's time zone)").setAutoWidth(true);
        auditGrid.addColumn(AuditEntry::actor).setHeader("Who").setAutoWidth(true);
        auditGrid.addColumn(AuditEntry::action).setHeader("What").setAutoWidth(true);
        auditGrid.addColumn(AuditEntry::reason).setHeader("Why").setFlexGrow(1);
        auditGrid.setEmptyStateText("Nothing recorded about this customer.");

        flagGrid.addColumn(finding -> Formats.instant(finding.callTime(), zone)).setHeader("Call (customer's time zone)")
                .setAutoWidth(true);
        flagGrid.addColumn(Finding::callId).setHeader("Call id").setAutoWidth(true);
        flagGrid.addColumn(Finding::evidence).setHeader("Used").setFlexGrow(1);
        flagGrid.setEmptyStateText("No call used a model off the contract's list in the last "
                + FLAG_DAYS + " days.");

        for (Grid<?> grid : List.of(contractGrid, usageGrid, invoiceGrid, creditGrid, alertGrid, auditGrid, flagGrid)) {
            grid.setAllRowsVisible(true);
            grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
        }
        add(new Anchor("admin/customers", "← All customers"), title, links, facts,
                new H3("Usage"), usageGrid, commitment,
                new H3("Contracts"), contractGrid,
                new H3("Models off the contract's list"), flagGrid,
                new H3("Billing calendar"), billingCalendar,
                new H3("Invoices"), invoiceGrid,
                new H3("Credits"), creditGrid,
                new H3("Alerts"), alertGrid,
                new H3("Assistants and phone numbers"), namesSection,
                new H3("Billing details"), billingDetailsSection,
                new H3("Transcripts"), transcriptSection,
                new H3("Audit trail"), auditGrid);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String externalId = event.getRouteParameters().get("externalId").orElse("");
        Optional<Customer> found = customers.findByExternalId(externalId);
        if (found.isEmpty()) {
            removeAll();
            add(new Anchor("admin/customers", "← All customers"), new H2("No customer " + externalId),
                    new Paragraph("Pick one from the customer list."));
            return;
        }
        show(found.get());
    }

    private void show(Customer customer) {
        shown = customer;
        namesSection.setPadding(false);
        namesSection.removeAll();
        namesSection.add(new NamesPanel(names, customer.id(), currentUser.require().name()));
        billingDetailsSection.setPadding(false);
        billingDetailsSection.removeAll();
        billingDetailsSection.add(new BillingDetailsPanel(billingDetails, customer.id(), customer.name(),
                currentUser.require().name(), true));
        transcriptSection.setPadding(false);
        transcriptSection.removeAll();
        transcriptSection.add(new TranscriptPolicyPanel(transcripts, customer.id(), currentUser.require().name()));
        zone = customer.billingTimeZone();
        String currency = customer.currency();
        title.setText(customer.name());
        SpendStatus status = spendCaps.status(customer);
        facts.removeAll();
        facts.add(fact("External id", customer.externalId()), fact("Currency", currency),
                fact("Billing time zone", customer.billingTimeZone().getId()),
                fact("Spend this month", Formats.total(status.spend(), currency)),
                fact("Spend cap", status.cap() == null ? "none"
                        : Formats.money(status.cap(), currency) + " (" + status.percent() + " % used)"),
                fact("Calls", status.suspended() ? "suspended: " + status.suspendedReason() : "admitted"));

        links.removeAll();
        links.add(viewAs, new Anchor("admin/contracts?customer=" + customer.externalId(), "Contracts"),
                new Anchor("calls?customer=" + customer.externalId(), "Calls"),
                new Anchor("invoices?customer=" + customer.externalId(), "Invoices as the customer sees them"),
                new Anchor("admin/what-if?customer=" + customer.externalId(), "What-if pricing"),
                new Anchor("admin/margins", "Margins"));

        YearMonth current = YearMonth.now(clock.withZone(customer.billingTimeZone()));
        usageGrid.setItems(List.of(rating.month(customer.id(), current, currency),
                rating.month(customer.id(), current.minusMonths(1), currency)));
        commitment.setText(burnDowns.commitment(customer).map(burnDown -> "Commitment: "
                + Formats.money(burnDown.usedToDate(), currency) + " of " + Formats.money(burnDown.level(), currency)
                + " used since " + burnDown.periodStart() + ", projected " + Formats.money(burnDown.projectedUse(),
                currency) + (burnDown.projectedShortfall().signum() > 0 ? ", short by "
                + Formats.money(burnDown.projectedShortfall(), currency) : "")).orElse("No commitment."));
        contractGrid.setItems(contracts.contractsOf(customer.id()).reversed());
        List<Invoice> closed = invoices.invoices(customer.id());
        invoiceGrid.setItems(closed);
        billingCalendar.show(customer);
        creditGrid.setItems(credits.grants(customer.id()));
        alertGrid.setItems(alerts.of(customer.id(), 20));
        auditGrid.setItems(audit.entries(customer.externalId(), 20));
        flagGrid.setItems(guards.findings(customer.id(), clock.instant().minus(java.time.Duration.ofDays(FLAG_DAYS)),
                clock.instant().plus(java.time.Duration.ofDays(1)), GuardRule.MODEL_NOT_ALLOWED));
    }

    /** How far back the 360 page lists calls flagged for a model off the contract's list. */
    static final int FLAG_DAYS = 90;

    private String margin(MonthCharges month) {
        if (month.providerCost() == null) {
            return "–";
        }
        MarginRow row = MarginRow.of(month.month().toString(), month.charge(), month.providerCost(), month.calls());
        return Formats.total(row.margin(), month.currency())
                + (row.marginPercent() == null ? "" : " (" + Formats.percent(row.marginPercent()) + ")");
    }

    private static Component fact(String label, String value) {
        Span caption = new Span(label);
        caption.addClassName("vl-muted");
        Div fact = new Div(caption, new Span(value));
        fact.addClassName("vl-fact");
        return fact;
    }
}
