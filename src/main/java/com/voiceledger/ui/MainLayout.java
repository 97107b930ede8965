package com.voiceledger.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Principal;

/**
 * The shell around every signed-in page. The menu comes from the views' own {@code @Menu}
 * annotations, filtered by what the user may open, so this layout imports no view.
 */
@Layout
@AnonymousAllowed
public class MainLayout extends AppLayout {

    MainLayout(CurrentUser currentUser, CustomerService customers, AuthenticationContext authentication) {
        setPrimarySection(Section.DRAWER);
        Span brand = new Span("VoiceLedger");
        brand.getStyle().set("font-weight", "600").set("font-size", "var(--lumo-font-size-l)");
        HorizontalLayout brandBar = new HorizontalLayout(brand);
        brandBar.setPadding(true);
        addToDrawer(brandBar, menu());

        Principal principal = currentUser.get().orElse(null);
        Span who = new Span(principal == null ? "" : describe(principal, customers));
        who.addClassName("vl-muted");
        Button logout = new Button("Sign out", event -> authentication.logout());
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), new Span(), who, logout);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.expand(header.getComponentAt(1));
        header.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(header);
    }

    private static String describe(Principal principal, CustomerService customers) {
        if (principal.customerId() == null) {
            return principal.displayName() + " · Finance";
        }
        String customer = customers.find(principal.customerId()).map(c -> c.name()).orElse("");
        return principal.displayName() + " · " + customer;
    }

    private static SideNav menu() {
        SideNav nav = new SideNav();
        nav.setLabel("Main menu");
        MenuConfiguration.getMenuEntries().forEach(entry -> {
            SideNavItem item = new SideNavItem(entry.title(), entry.path());
            if (entry.icon() != null) {
                item.setPrefixComponent(new Icon(entry.icon()));
            }
            nav.addItem(item);
        });
        return nav;
    }
}
