package com.voiceledger.admin.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.admin.FinanceOverview;
import com.voiceledger.admin.FinanceOverview.Standing;
import com.voiceledger.security.Role;
import com.voiceledger.ui.Formats;
import jakarta.annotation.security.RolesAllowed;
import com.voiceledger.billing.InvoiceIssuing;
import com.voiceledger.billing.IssuingItem;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.jobs.JobFailure;
import com.voiceledger.jobs.JobFailures;
import com.voiceledger.spendcap.Dunning;
import com.voiceledger.shared.CustomerId;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/**
 * Finance's first page: the queues that need a person (each card links to its screen), the invoices to
 * issue (drafts finalizing within a day, held and failed ones), and every customer's month so far,
 * those near their cap or short of their commitment first.
 */
@Route("admin/overview")
@PageTitle("Overview · VoiceLedger")
@Menu(title = "Overview", order = 5, icon = "vaadin:dashboard")
@RolesAllowed(Role.FINANCE)
class OverviewView extends VerticalLayout {

    final Div queues = new Div();
    final Grid<Standing> customers = new Grid<>(Standing.class, false);

    final Grid<IssuingItem> issuing = new Grid<>(IssuingItem.class, false);
    final Grid<JobFailure> jobs = new Grid<>(JobFailure.class, false);
    final Grid<Dunning.Case> dunningCases = new Grid<>(Dunning.Case.class, false);

    OverviewView(FinanceOverview overview, InvoiceIssuing invoiceIssuing, CustomerService customerService,
            JobFailures jobFailures, Dunning dunning) {
        addClassName("vl-page");
        setSizeFull();
        queues.addClassName("vl-cards");
        FinanceOverview.Queues counts = overview.queues();
        queues.add(queueCard("Failed webhooks", counts.failedWebhooks(), "admin/webhooks", "inspect and replay"),
                queueCard("Unattributed calls", counts.unattributedCalls(), "admin/unattributed", "map them to a customer"),
                queueCard("Unpriced usage", counts.unpricedItems(), "admin/unpriced", "add a rate, then re-rate"),
                queueCard("Failed Stripe pushes", counts.failedStripePushes(), "admin/billing", "retry from Billing"),
                queueCard("Alerts this month", counts.alertsThisMonth(), "admin/alerts", "caps, guards and margins"));

        customers.addColumn(standing -> standing.customer().name()).setHeader("Customer").setAutoWidth(true)
                .setFlexGrow(1);
        customers.addColumn(standing -> Formats.total(standing.spend().spend(), standing.spend().currency()))
                .setHeader("Spend this month").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(standing -> standing.spend().cap() == null ? "no cap"
                        : Formats.total(standing.spend().cap(), standing.spend().currency()) + " (" + standing.spend().percent()
                                + " %)")
                .setHeader("Cap (used)").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(standing -> standing.commitment() == null ? "–"
                        : Formats.total(standing.commitment().level(), standing.commitment().currency()))
                .setHeader("Commitment").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(standing -> standing.commitment() == null ? "–"
                        : Formats.total(standing.commitment().projectedShortfall(), standing.commitment().currency()))
                .setHeader("Projected shortfall").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        customers.addColumn(OverviewView::attention).setHeader("Attention").setAutoWidth(true);
        customers.setPartNameGenerator(standing -> standing.needsAttention() ? "vl-loss" : null);
        customers.setEmptyStateText("No customers yet: create one under Customers.");
        // a row opens that customer's 360 page
        customers.addItemClickListener(click -> click.getSource().getUI().ifPresent(ui ->
                ui.navigate("admin/customers/" + click.getItem().customer().externalId())));
        customers.setItems(overview.standings());
        customers.setSizeFull();

        // drafts finalizing within a day, and anything held or failed (BILLING-RULES §5)
        Map<CustomerId, Customer> byId = new HashMap<>();
        customerService.list().forEach(customer -> byId.put(customer.id(), customer));
        issuing.addColumn(item -> name(byId, item)).setHeader("Customer").setAutoWidth(true).setFlexGrow(1);
        issuing.addColumn(item -> item.month().toString()).setHeader("Month").setAutoWidth(true);
        issuing.addColumn(IssuingItem::status).setHeader("State").setAutoWidth(true);
        issuing.addColumn(item -> item.status().equals("DRAFT") ? (item.reason() != null ? item.reason()
                        : "finalizes " + Formats.instant(item.finalizesAt(), zone(byId, item)) + " "
                                + zone(byId, item).getId()) : "needs action: " + item.reason())
                .setHeader("Next step (customer's time zone)").setFlexGrow(2);
        issuing.setEmptyStateText("No draft finalizes within 24 h, and nothing is held or failed.");
        issuing.setAllRowsVisible(true);
        issuing.addItemClickListener(click -> click.getSource().getUI().ifPresent(ui -> {
            Customer customer = byId.get(click.getItem().customerId());
            if (customer != null) {
                ui.navigate("admin/customers/" + customer.externalId());
            }
        }));
        issuing.setItems(invoiceIssuing.needingAttention(Duration.ofHours(24)));
        // one failing item of a background job is shown here; the job went on with the others (issue #27)
        jobs.addColumn(JobFailure::job).setHeader("Job").setAutoWidth(true);
        jobs.addColumn(JobFailure::subject).setHeader("Item").setFlexGrow(1);
        jobs.addColumn(JobFailure::failures).setHeader("Failures").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        jobs.addColumn(failure -> Formats.instant(failure.firstAt(), ZoneOffset.UTC)).setHeader("Failing since (UTC)")
                .setAutoWidth(true);
        jobs.addColumn(JobFailure::error).setHeader("Last error").setFlexGrow(2);
        jobs.setEmptyStateText("Every background job's items went through on their last try.");
        jobs.setAllRowsVisible(true);
        jobs.setItems(jobFailures.open());
        // invoices whose payment failed, up the dunning ladder (decision 0088)
        dunningCases.addColumn(Dunning.Case::customer).setHeader("Customer").setAutoWidth(true);
        dunningCases.addColumn(Dunning.Case::invoiceNumber).setHeader("Invoice").setAutoWidth(true);
        dunningCases.addColumn(c -> Formats.instant(c.failedAt(), ZoneOffset.UTC)).setHeader("Payment failed (UTC)")
                .setAutoWidth(true);
        dunningCases.addColumn(c -> c.paused() ? c.step().name().toLowerCase() + ", paused: " + c.pauseReason()
                : c.step().name().toLowerCase()).setHeader("Step").setFlexGrow(1);
        dunningCases.addColumn(c -> c.nextStep() == null || c.paused() ? "–" : c.nextStep().name().toLowerCase() + " "
                + Formats.instant(c.nextStepAt(), ZoneOffset.UTC)).setHeader("Next step (UTC)").setAutoWidth(true);
        dunningCases.setEmptyStateText("No invoice's payment has failed.");
        dunningCases.setAllRowsVisible(true);
        dunningCases.setItems(dunning.cases());
        add(new H2("Overview"), new H3("Needs a person"), queues, new H3("Invoices to issue"), issuing,
                new H3("Payments failed (dunning)"), dunningCases, new H3("Background jobs"), jobs,
                new H3("Customers this month"), customers);
    }

    private static String name(Map<CustomerId, Customer> byId, IssuingItem item) {
        Customer customer = byId.get(item.customerId());
        return customer == null ? item.customerId().toString() : customer.name();
    }

    private static ZoneId zone(Map<CustomerId, Customer> byId, IssuingItem item) {
        Customer customer = byId.get(item.customerId());
        return customer == null ? ZoneOffset.UTC : customer.billingTimeZone();
    }

    static String attention(Standing standing) {
        List<String> flags = new ArrayList<>();
        if (standing.spend().suspended()) {
            flags.add("suspended");
        } else if (standing.nearCap()) {
            flags.add("near cap");
        }
        if (standing.commitmentAtRisk()) {
            flags.add("commitment short");
        }
        return String.join(", ", flags);
    }

    private static Anchor queueCard(String label, long count, String route, String action) {
        Span caption = new Span(label);
        caption.addClassName("vl-muted");
        Span figure = new Span(Long.toString(count));
        figure.addClassName("vl-figure");
        Span detail = new Span(count == 0 ? "nothing waiting" : action);
        detail.addClassName("vl-muted");
        Anchor card = new Anchor(route, caption, figure, detail);
        card.addClassName("vl-card");
        card.getElement().setAttribute("router-link", true);
        // no aria-label: the card's own text ("Unpriced usage 12 …") is its name, as a voice user says it
        return card;
    }
}
