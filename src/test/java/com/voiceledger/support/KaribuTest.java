package com.voiceledger.support;

import com.github.mvysny.fakeservlet.FakeRequest;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.spring.MockSpringServlet;
import com.vaadin.flow.component.UI;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.UserService;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.Route;
import java.util.HashSet;
import java.util.Set;
import kotlin.jvm.functions.Function0;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * Browserless UI tests with Karibu-Testing on the real Spring context and database. The faked
 * request takes its user from Spring Security's context, as the servlet filter would, so Vaadin's
 * route security ({@code @RolesAllowed}, {@code @PermitAll}) applies as in production.
 */
@IntegrationTest
public abstract class KaribuTest {

    private static Routes routes;

    @Autowired
    protected ApplicationContext context;
    @Autowired
    protected UserService users;
    @Autowired
    protected CurrentUser currentUser;

    /**
     * Views are package-private (only their module uses them), which Karibu's own discovery skips;
     * Spring's scanner finds every {@code @Route} and {@code @Layout} class, and the app's error views.
     */
    @BeforeAll
    @SuppressWarnings("unchecked")
    static void discoverRoutes() {
        Set<Class<? extends Component>> viewsAndLayouts = new HashSet<>();
        RouteViews.annotatedWith(Route.class).forEach(type -> viewsAndLayouts.add(type.asSubclass(Component.class)));
        RouteViews.annotatedWith(Layout.class).forEach(type -> viewsAndLayouts.add(type.asSubclass(Component.class)));
        Set<Class<? extends HasErrorParameter<?>>> errorViews = new HashSet<>();
        RouteViews.assignableTo(HasErrorParameter.class)
                .forEach(type -> errorViews.add((Class<? extends HasErrorParameter<?>>) type));
        routes = new Routes(viewsAndLayouts, errorViews, false);
    }

    @BeforeEach
    void setUpVaadin() {
        MockVaadin.setMockRequestFactory(session -> {
            FakeRequest request = new FakeRequest(session) {
                @Override
                public java.security.Principal getUserPrincipal() {
                    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
                    return authentication == null || authentication instanceof AnonymousAuthenticationToken
                            ? null : authentication;
                }
            };
            request.setUserInRole((principal, role) -> principal instanceof Authentication authentication
                    && authentication.getAuthorities().stream()
                            .anyMatch(authority -> authority.getAuthority().equals("ROLE_" + role)));
            return request;
        });
        Function0<UI> uiFactory = UI::new;
        MockVaadin.setup(uiFactory, new MockSpringServlet(routes, context, uiFactory));
    }

    @AfterEach
    void tearDownVaadin() {
        MockVaadin.tearDown();
        SecurityContextHolder.clearContext();
        currentUser.strategy().clearContext();
    }

    /** Signs in as a stored user, as the login form would. */
    protected void loginAs(String username) {
        UserDetails user = users.loadUserByUsername(username);
        Authentication authentication = UsernamePasswordAuthenticationToken.authenticated(user, null,
                user.getAuthorities());
        SecurityContextHolder.getContext().setAuthentication(authentication);
        currentUser.strategy().getContext().setAuthentication(authentication);
    }
}
