package com.voiceledger.security;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

import com.voiceledger.security.internal.AdminTokenPolicy;
import com.voiceledger.security.internal.ApiBodyLimitFilter;
import com.voiceledger.security.internal.ApiWriteGuard;
import com.voiceledger.security.internal.BearerTokenFilter;
import com.voiceledger.security.internal.LoginThrottleFilter;
import com.voiceledger.security.internal.PageHeadersFilter;
import com.voiceledger.security.internal.PublicRedirectsFilter;
import com.voiceledger.security.internal.RateLimitFilter;
import com.voiceledger.security.internal.Routes;
import com.voiceledger.security.internal.SecurityHeaders;
import com.voiceledger.security.internal.SessionEpochFilter;
import com.voiceledger.security.internal.JsonErrors;
import com.voiceledger.security.ui.LoginView;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;

/**
 * Two filter chains: the JSON API and webhooks (bearer credentials or the browser session, CSRF off,
 * JSON errors), then the Vaadin UI with form login. See docs/decisions/0005-security-chains.md.
 */
@Configuration
@EnableWebSecurity
@EnableMethodSecurity(jsr250Enabled = true)
class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * Redirects onto the configured public address, never the one a request's {@code Host} header claims
     * (decision 0067); first of all filters, so the redirects of every later one pass through it.
     */
    @Bean
    FilterRegistrationBean<PublicRedirectsFilter> publicRedirects(
            @Value("${voiceledger.public-base-url:}") String publicBaseUrl) {
        var registration = new FilterRegistrationBean<>(new PublicRedirectsFilter(publicBaseUrl));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The UI's security headers ahead of every filter, for the pages Spring Security's chain never sees. */
    @Bean
    FilterRegistrationBean<PageHeadersFilter> pageHeaders() {
        var registration = new FilterRegistrationBean<>(new PageHeadersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * Spring Security's own observations (a span or timer around every filter of every request) off: on the
     * webhook path they cost as much as the delivery's own parsing (docs/performance.md); HTTP requests
     * are still observed once, by Spring MVC.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * The platforms' webhooks: no session, no person, no bearer token (each controller checks its sender's
     * secret or signature), only the headers, the budget for refused deliveries and JSON errors: the hot path
     * runs as few filters as it can (decision 0048).
     */
    @Bean
    @Order(0)
    SecurityFilterChain webhookChain(HttpSecurity http, JsonErrors errors, CurrentUser currentUser, ApiRateLimits limits)
            throws Exception {
        SecurityHeaders.api(http, request -> false);
        http.securityMatcher("/webhooks/**")
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .logout(logout -> logout.disable())
                .servletApi(servletApi -> servletApi.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new RateLimitFilter(limits, errors, currentUser.strategy()), AuthorizationFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ApiKeyService apiKeys, JsonErrors errors, CurrentUser currentUser,
            LoginThrottle throttle, SessionEpochs sessions, ApiRateLimits limits, @Value("${voiceledger.admin-api-token:}") String adminToken,
            @Value("${voiceledger.demo-data:false}") boolean demoMode,
            @Value("${voiceledger.api.max-body-bytes:1048576}") long maxBodyBytes) throws Exception {
        AdminTokenPolicy.requireStrong(adminToken, demoMode);
        SecurityHeaders.api(http, Routes.SWAGGER_UI);
        http.securityMatcher("/api/**", "/v3/**", "/swagger-ui/**", "/swagger-ui.html",
                        "/actuator/**", "/error")
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .addFilterAfter(new ApiBodyLimitFilter(maxBodyBytes, errors), HeaderWriterFilter.class)
                .addFilterBefore(new BearerTokenFilter(apiKeys, adminToken, errors, currentUser.strategy(), throttle),
                        BasicAuthenticationFilter.class)
                .addFilterBefore(new SessionEpochFilter(sessions, currentUser.strategy()), AuthorizationFilter.class)
                .addFilterAfter(new ApiWriteGuard(errors, currentUser.strategy()), SessionEpochFilter.class)
                .addFilterAfter(new RateLimitFilter(limits, errors, currentUser.strategy()), ApiWriteGuard.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/v3/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/api/admin/**", "/actuator/**").hasRole(Role.FINANCE)
                        .requestMatchers("/api/v1/**").authenticated()
                        .anyRequest().denyAll())
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) -> errors.write(response,
                                HttpServletResponse.SC_UNAUTHORIZED, "authentication required: "
                                        + "send Authorization: Bearer <API key> or log in"))
                        .accessDeniedHandler((request, response, e) -> errors.write(response,
                                HttpServletResponse.SC_FORBIDDEN, "your role may not use this endpoint")));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain uiChain(HttpSecurity http, LoginThrottle throttle, SessionEpochs sessions,
            CurrentUser currentUser) throws Exception {
        http.addFilterBefore(new SessionEpochFilter(sessions, currentUser.strategy()), AuthorizationFilter.class);
        http.addFilterBefore(new LoginThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class);
        SecurityHeaders.ui(http);
        http.authorizeHttpRequests(auth -> auth.requestMatchers("/styles.css", "/images/**").permitAll());
        // An address no route answers must reach Vaadin's router, which shows our "not found" page in the
        // layout; Vaadin's default for it (denyAll) answered signed-in people with Spring's own 403 page.
        // Every route is still checked by Vaadin's navigation access control (@RolesAllowed, @PermitAll),
        // and signed-out people are still sent to the login page (docs/decisions/0058).
        http.with(vaadin(), vaadin -> vaadin.loginView(LoginView.class).anyRequest(url -> url.authenticated()));
        return http.build();
    }
}
