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
import com.vaadin.flow.component.page.ColorScheme;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Principal;
import com.voiceledger.security.UserService;

/**
 * The shell around every signed-in page. The menu comes from the views' own {@code @Menu}
 * annotations, filtered by what the user may open, so this layout imports no view. Finance sees the
 * console's menu, or, while viewing as a customer, that customer's portal menu under a banner that
 * says so.
 */
@Layout
@AnonymousAllowed
public class MainLayout extends AppLayout implements AfterNavigationObserver {

    private final CurrentUser currentUser;
    private final CustomerService customers;
    private final SideNav nav = new SideNav();
    private final HorizontalLayout viewAsBanner = new HorizontalLayout();
    final Span viewAsText = new Span();

    MainLayout(CurrentUser currentUser, CustomerService customers, UserService users,
            AuthenticationContext authentication) {
        this.currentUser = currentUser;
        this.customers = customers;
        setPrimarySection(Section.DRAWER);
        Span brand = new Span("VoiceLedger");
        brand.getStyle().set("font-weight", "600").set("font-size", "var(--lumo-font-size-l)");
        HorizontalLayout brandBar = new HorizontalLayout(brand);
        brandBar.setPadding(true);
        nav.setLabel("Main menu");
        addToDrawer(brandBar, nav);

        Principal principal = currentUser.get().orElse(null);
        Span who = new Span(principal == null ? "" : describe(principal, customers));
        who.addClassNames("vl-muted", "vl-who");
        Button logout = new Button("Sign out", event -> authentication.logout());
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Button stop = new Button("Back to finance", event -> {
            String viewed = ViewAs.customer().orElse("");
            ViewAs.stop();
            getUI().ifPresent(ui -> ui.navigate("admin/customers/" + viewed));
        });
        stop.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_CONTRAST);
        viewAsBanner.add(viewAsText, stop);
        viewAsBanner.addClassName("vl-view-as");
        viewAsBanner.setAlignItems(FlexComponent.Alignment.CENTER);
        viewAsBanner.getElement().setAttribute("role", "status");
        Button password = new Button("Password", event -> currentUser.get()
                .ifPresent(me -> new ChangePasswordDialog(users, me.name()).open()));
        password.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        // API keys sign in too, but only people have a password here
        password.setVisible(principal != null && users.findAccount(principal.name()).isPresent());
        HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), viewAsBanner, new Span(), who,
                colorSchemeSwitch(), password, logout);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.expand(header.getComponentAt(2));
        header.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(header);
    }

    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        boolean finance = currentUser.get().map(Principal::isFinance).orElse(false);
        String viewedAs = finance ? ViewAs.customer().orElse(null) : null;
        viewAsBanner.setVisible(viewedAs != null);
        if (viewedAs != null) {
            String name = customers.findByExternalId(viewedAs).map(c -> c.name()).orElse(viewedAs);
            viewAsText.setText("Viewing as " + name + " (read-only)");
        }
        // finance's own pages live under admin/; the rest is the customer portal
        nav.removeAll();
        MenuConfiguration.getMenuEntries().stream()
                .filter(entry -> !finance || isConsole(entry.path()) == (viewedAs == null))
                .forEach(entry -> {
                    SideNavItem item = new SideNavItem(entry.title(), entry.path());
                    if (entry.icon() != null) {
                        item.setPrefixComponent(new Icon(entry.icon()));
                    }
                    nav.addItem(item);
                });
    }

    /** Light, dark, or as the operating system says (the default); remembered for the session. */
    private Button colorSchemeSwitch() {
        Button button = new Button();
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Runnable show = () -> {
            ColorScheme.Value scheme = colorScheme();
            button.setText(switch (scheme) {
                case LIGHT -> "Theme: light";
                case DARK -> "Theme: dark";
                default -> "Theme: system";
            });
            button.getElement().setAttribute("aria-label", button.getText() + ", click to change");
        };
        button.addClickListener(event -> {
            ColorScheme.Value next = switch (colorScheme()) {
                case LIGHT -> ColorScheme.Value.DARK;
                case DARK -> ColorScheme.Value.LIGHT_DARK;
                default -> ColorScheme.Value.LIGHT;
            };
            VaadinSession.getCurrent().setAttribute(COLOR_SCHEME, next);
            event.getSource().getUI().ifPresent(ui -> ui.getPage().setColorScheme(next));
            show.run();
        });
        button.addAttachListener(event -> {
            ColorScheme.Value chosen = (ColorScheme.Value) VaadinSession.getCurrent().getAttribute(COLOR_SCHEME);
            if (chosen != null) {
                event.getUI().getPage().setColorScheme(chosen);
            }
            show.run();
        });
        return button;
    }

    private static ColorScheme.Value colorScheme() {
        Object chosen = VaadinSession.getCurrent() == null ? null : VaadinSession.getCurrent().getAttribute(COLOR_SCHEME);
        return chosen instanceof ColorScheme.Value value ? value : ColorScheme.Value.LIGHT_DARK;
    }

    private static final String COLOR_SCHEME = MainLayout.class.getName() + ".colorScheme";

    private static boolean isConsole(String path) {
        return path.startsWith("admin/") || path.startsWith("/admin/");
    }

    private static String describe(Principal principal, CustomerService customers) {
        if (principal.customerId() == null) {
            return principal.displayName() + " · Finance";
        }
        String customer = customers.find(principal.customerId()).map(c -> c.name()).orElse("");
        return principal.displayName() + " · " + customer;
    }

}
