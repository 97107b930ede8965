package com.voiceledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * The headless Chromium the browser tests drive: Debian's own (installed by .ci/run), never one
 * Playwright downloads, launched with the flags that keep it quiet in a container, and signing in
 * through the real login form. Closing it closes the browser and then its Playwright.
 */
public final class Chromium implements AutoCloseable {

    /** Debian's chromium. */
    public static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");

    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /**
     * Checks that Debian's chromium is installed and launches it headless, from a Playwright that does
     * not download browsers of its own.
     */
    public static Chromium launch() {
        assertThat(EXECUTABLE).as("Debian's chromium (installed by .ci/run)").exists();
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new Chromium(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(EXECUTABLE).setHeadless(true).setArgs(ARGS)));
        } catch (RuntimeException | Error e) {
            playwright.close();
            throw e;
        }
    }

    public Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }

    /** Fills the login form already open on the page and submits it; does not wait for where it leads. */
    public static void submitLogin(Page page, String username, String password) {
        page.locator("vaadin-login-form input[name=username]").fill(username);
        page.locator("vaadin-login-form input[name=password]").fill(password);
        page.locator("vaadin-login-form vaadin-button[slot=submit]").click();
    }

    /** Opens the login page of the app on the port, signs in and waits until the page has left /login. */
    public static Page signIn(Page page, int port, String username, String password) {
        page.navigate("http://localhost:" + port + "/login");
        submitLogin(page, username, password);
        page.waitForURL(url -> !url.contains("/login"));
        return page;
    }
}
