package com.voiceledger.admin.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Anchor;
import com.voiceledger.admin.FinanceOverview;
import com.voiceledger.admin.FinanceOverview.Standing;
import com.voiceledger.customer.Customer;
import com.voiceledger.jobs.JobFailure;
import com.voiceledger.jobs.JobFailures;
import com.voiceledger.security.Role;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Finance's first page: the queues that need a person and every customer's month so far. */
class OverviewScreenTest extends KaribuTest {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    SpendCaps spendCaps;
    @Autowired
    FinanceOverview overview;
    @Autowired
    Alerts alerts;
    @Autowired
    Clock clock;
    @Autowired
    JobFailures jobFailures;

    String suffix;
    Customer customer;

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        customer = fixtures.customer(Samples.fresh().id(Samples.ACME));
        users.create("fin-" + suffix, "Finn Finance", "password-123", Role.FINANCE_ADMIN, null);
        users.create("cust-" + suffix, "Cas Customer", "password-123", Role.CUSTOMER_ADMIN, customer.id());
    }

    @Test
    void financeLandsOnTheOverviewWithALinkToEveryQueue() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("");

        OverviewView view = _get(OverviewView.class);
        assertThat(view.queues.getChildren().map(card -> ((Anchor) card).getHref()))
                .containsExactly("admin/webhooks", "admin/unattributed", "admin/unpriced", "admin/billing",
                        "admin/alerts");
        assertThat(view.customers.getListDataView().getItems().map(standing -> standing.customer().id()))
                .contains(customer.id());
    }

    @Test
    void aSuspendedCustomerIsFlaggedAndListedAmongThoseNeedingAttention() {
        spendCaps.suspend(customer, true, "unpaid invoice", "test");
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/overview");

        var rows = _get(OverviewView.class).customers.getListDataView().getItems().toList();
        Standing standing = rows.stream().filter(row -> row.customer().id().equals(customer.id())).findFirst()
                .orElseThrow();
        assertThat(OverviewView.attention(standing)).isEqualTo("suspended");
        assertThat(rows.subList(0, rows.indexOf(standing))).allMatch(Standing::needsAttention);
    }

    @Test
    void aMarginAlertRaisedThisMonthCountsOnTheOverview() {
        long before = overview.queues().alertsThisMonth();
        alerts.raiseInternal(customer.id(), YearMonth.now(clock.withZone(ZoneOffset.UTC)), "margin", 0,
                "month-to-date margin below 0 %");

        assertThat(overview.queues().alertsThisMonth()).isEqualTo(before + 1);
    }

    @Test
    void aFailingItemOfABackgroundJobIsListedUntilItGoesThrough() {
        String subject = "test item " + suffix;
        jobFailures.isolate("test job", subject, () -> {
            throw new IllegalStateException("its data is broken");
        });
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/overview");

        assertThat(_get(OverviewView.class).jobs.getListDataView().getItems()
                .filter(failure -> failure.subject().equals(subject)).map(JobFailure::error))
                .containsExactly("its data is broken");

        jobFailures.isolate("test job", subject, () -> { });
        UI.getCurrent().navigate("admin/alerts");
        UI.getCurrent().navigate("admin/overview");
        assertThat(_get(OverviewView.class).jobs.getListDataView().getItems()
                .filter(failure -> failure.subject().equals(subject))).as("cleared by its success").isEmpty();
    }

    @Test
    void aCustomerCannotOpenTheOverview() {
        loginAs("cust-" + suffix);
        UI.getCurrent().navigate("admin/overview");

        assertThat(com.github.mvysny.kaributesting.v10.LocatorJ._find(OverviewView.class)).isEmpty();
    }
}
