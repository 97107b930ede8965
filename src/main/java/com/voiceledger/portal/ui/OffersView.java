package com.voiceledger.portal.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.customer.Customer;
import com.voiceledger.portal.CustomerScope;
import com.voiceledger.rating.WhatIf;
import com.voiceledger.security.Role;
import com.voiceledger.ui.Formats;
import com.voiceledger.ui.WhatIfComparisonPanel;
import jakarta.annotation.security.RolesAllowed;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/** Pricing offers from the account team: last month's calls priced under each, beside what was charged. */
@Route("offers")
@PageTitle("What-if offers · VoiceLedger")
@Menu(title = "What-if offers", order = 35, icon = "vaadin:scale")
@RolesAllowed({Role.VIEWER, Role.ADMIN, Role.FINANCE})
class OffersView extends VerticalLayout implements BeforeEnterObserver {

    private final CustomerScope scope;
    private final WhatIf whatIf;
    private final Clock clock;

    OffersView(CustomerScope scope, WhatIf whatIf, Clock clock) {
        this.scope = scope;
        this.whatIf = whatIf;
        this.clock = clock;
        addClassName("vl-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<Customer> resolved = PortalCustomer.resolve(scope, event);
        if (resolved.isEmpty()) {
            return;
        }
        Customer customer = resolved.get();
        removeAll();
        add(new H2("What-if offers"));
        List<WhatIf.Offer> offers = whatIf.offers(customer.id());
        if (offers.isEmpty()) {
            Paragraph empty = new Paragraph("No offers yet. When your account team proposes other pricing, it appears "
                    + "here with last month's calls priced under it, so you can compare before you decide.");
            empty.addClassName("vl-muted");
            add(empty);
            return;
        }
        YearMonth lastMonth = YearMonth.now(clock.withZone(customer.billingTimeZone())).minusMonths(1);
        for (WhatIf.Offer offer : offers) {
            Paragraph from = new Paragraph(offer.note() + " (offered " + Formats.instant(offer.createdAt(),
                    customer.billingTimeZone()) + ", " + customer.billingTimeZone().getId() + ")");
            add(new H3(offer.scenario().label()), from,
                    new WhatIfComparisonPanel(whatIf.compare(customer, lastMonth, offer.scenario())));
        }
    }
}
