package com.voiceledger.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Redirects never name the address a request claims to be for. Spring Security builds absolute
 * redirects (to the sign-in page, and on to the page remembered for after sign-in) from the request's
 * {@code Host} header, which whoever sends the request chooses: {@code Host: evil.example} came back as
 * {@code Location: http://evil.example/login} (issue #25), and Tomcat makes relative redirects absolute
 * the same way. Every redirect to this server's own address (relative, or naming the address the request
 * claimed) is rewritten here, ahead of every other filter: onto the configured public address
 * ({@code voiceledger.public-base-url}) when there is one, else to its path alone, which the browser
 * resolves against the address it really connected to (Tomcat is told to leave relative redirects
 * relative: {@code server.tomcat.use-relative-redirects}). Redirects to other sites are left alone.
 * Decision 0067.
 */
public class PublicRedirectsFilter extends OncePerRequestFilter {

    private final @Nullable String publicBaseUrl;

    /** {@code publicBaseUrl}: scheme, host and port (and any path prefix), without a trailing slash; null: none. */
    public PublicRedirectsFilter(@Nullable String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null
                : publicBaseUrl.strip().replaceAll("/+$", "");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void sendRedirect(String location) throws IOException {
                super.sendRedirect(rewrite(request, location));
            }

            @Override
            public void sendRedirect(String location, int status) throws IOException {
                super.sendRedirect(rewrite(request, location), status);
            }

            @Override
            public void sendRedirect(String location, boolean clearBuffer) throws IOException {
                super.sendRedirect(rewrite(request, location), clearBuffer);
            }

            @Override
            public void sendRedirect(String location, int status, boolean clearBuffer) throws IOException {
                super.sendRedirect(rewrite(request, location), status, clearBuffer);
            }

            @Override
            public void setHeader(String name, String value) {
                super.setHeader(name, isLocation(name) ? rewrite(request, value) : value);
            }

            @Override
            public void addHeader(String name, String value) {
                super.addHeader(name, isLocation(name) ? rewrite(request, value) : value);
            }
        });
    }

    /**
     * The location on the public address when it is this server's own: an absolute one naming the address
     * the request claimed, or a relative one (which the browser, or Tomcat, would resolve against that
     * address). Without a public address, such a location is given as its path alone. Redirects to other
     * sites are unchanged.
     */
    String rewrite(HttpServletRequest request, @Nullable String location) {
        if (location == null) {
            return location;
        }
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            return location;
        }
        if (uri.isAbsolute() && (uri.getHost() == null || !namesThisRequest(request, uri))) {
            return location;
        }
        if (!uri.isAbsolute() && uri.getRawAuthority() != null) {
            return location; // "//elsewhere.example/…": another site
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (!path.startsWith("/")) {
            path = URI.create(request.getRequestURI()).resolve(path).getRawPath();
        }
        String rest = path;
        if (uri.getRawQuery() != null) {
            rest += "?" + uri.getRawQuery();
        }
        if (uri.getRawFragment() != null) {
            rest += "#" + uri.getRawFragment();
        }
        return publicBaseUrl == null ? rest : publicBaseUrl + rest;
    }

    /** True when the location's host and port are the ones the request said it was sent to. */
    private static boolean namesThisRequest(HttpServletRequest request, URI uri) {
        if (!uri.getHost().equalsIgnoreCase(request.getServerName())) {
            return false;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
        return port == request.getServerPort();
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme.toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    private static boolean isLocation(String name) {
        return "Location".equalsIgnoreCase(name);
    }
}
