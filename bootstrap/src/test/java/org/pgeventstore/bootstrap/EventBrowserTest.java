package org.pgeventstore.bootstrap;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.adapters.http.ApiClient;
import org.pgeventstore.adapters.postgres.PostgresTestDatabase;

/**
 * The event browser at {@code /ui} in a real headless Chromium (the system's, driven by Playwright,
 * which downloads no browser of its own) against the service on PostgreSQL: sign-in, streams by
 * category, one stream's events, the live feed, the admin views and their note for a key without the
 * role. Without Chromium it is skipped, saying so, unless {@code EVENTSTORE_TEST_BROWSER=required}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventBrowserTest implements TestPropertyProvider {

    private static final Path CHROMIUM = Paths.get(System.getenv().getOrDefault("EVENTSTORE_TEST_CHROMIUM", "/usr/bin/chromium"));
    private static final String NO_BROWSER = "no Chromium at " + CHROMIUM
            + " (apt-get install -y chromium, or set EVENTSTORE_TEST_CHROMIUM)";
    private static final Path SCREENSHOTS = Paths.get("target", "ui-screenshots");
    private static final Path DOCUMENTED = Paths.get("..", "docs", "images", "event-browser.png");

    @Inject
    EmbeddedServer server;

    Playwright playwright;
    Browser browser;
    ApiClient admin;
    final String category = "account_" + UUID.randomUUID().toString().substring(0, 6);

    @Override
    public Map<String, String> getProperties() {
        return TestDatabaseProperties.of(PostgresTestDatabase.shared());
    }

    @BeforeAll
    void browser() {
        if (!Files.isExecutable(CHROMIUM)) {
            if ("required".equals(System.getenv("EVENTSTORE_TEST_BROWSER"))) {
                throw new AssertionError("EVENTSTORE_TEST_BROWSER=required but " + NO_BROWSER);
            }
            return;
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(List.of("--no-sandbox")));
        admin = new ApiClient(server.getURI());
    }

    @BeforeEach
    void browserPresent() {
        Assumptions.assumeTrue(browser != null, () -> "the event browser test needs a browser: " + NO_BROWSER);
    }

    @AfterAll
    void close() {
        if (playwright != null) {
            playwright.close();
        }
    }

    private void append(String stream, String events) {
        var reply = admin.postJson("/api/streams/" + stream + "/events", "{\"events\": [" + events + "]}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    private Page open() {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1440, 900));
        page.setDefaultTimeout(10_000);
        page.navigate(server.getURI() + "/ui");
        return page;
    }

    private static void signIn(Page page, String key) {
        page.locator("#key").fill(key);
        page.locator("#sign-in-form button").click();
    }

    @Test
    @DisplayName("sign in, find a stream in its category, read its events, see an appended event arrive live")
    void browse() throws IOException {
        append(category + "-ada", """
                {"type": "AccountOpened", "data": {"owner": "Ada Lovelace", "currency": "GBP"}},
                {"type": "MoneyDeposited", "data": {"amount": 120.50, "reference": 9007199254740993}, "metadata": {"channel": "branch"}}""");
        append(category + "-grace", "{\"type\": \"AccountOpened\", \"data\": {\"owner\": \"Grace Hopper\", \"currency\": \"USD\"}}");
        append(category + "-linus", "{\"type\": \"AccountOpened\", \"data\": {\"owner\": \"Linus\", \"currency\": \"EUR\"}}");

        Page page = open();
        signIn(page, "pges_not-a-key-this-service-ever-made");
        assertThat(page.locator("#message")).containsText("refused this key (401");
        assertThat(page.locator("#sign-in")).isVisible();

        signIn(page, ApiClient.TEST_ADMIN_KEY);
        assertThat(page.locator("#sign-out")).isVisible();
        assertThat(page.locator("#message")).isHidden();
        page.locator("#category").fill(category);
        page.locator("#stream-filter button").click();
        Locator ada = page.locator("tr[data-stream='" + category + "-ada']");
        assertThat(ada.locator("td").nth(1)).hasText("2");
        assertThat(page.locator("tr.stream")).hasCount(3);

        ada.click();
        Locator events = page.locator("#events li");
        assertThat(events).hasCount(2);
        assertThat(events.locator(".type")).hasText(new String[] {"AccountOpened", "MoneyDeposited"});
        assertThat(events.nth(0).locator("pre.data")).containsText("\"owner\": \"Ada Lovelace\"");
        assertThat(events.nth(1).locator("pre.metadata")).containsText("\"channel\": \"branch\"");
        // A 64-bit number keeps its digits; a double would print 9007199254740992.
        assertThat(events.nth(1).locator("pre.data")).containsText("\"reference\": 9007199254740993");
        assertThat(page.locator("#stream-head")).containsText("version 2, as stored");
        screenshot(page);

        page.locator("#nav button[data-view='live']").click();
        page.locator("#live-category").fill(category);
        page.locator("#live-toggle").click();
        assertThat(page.locator("#live-status")).containsText("live after position");
        assertThat(page.locator("#live-events li")).hasCount(0);
        append(category + "-grace", "{\"type\": \"MoneyWithdrawn\", \"data\": {\"amount\": 42.00}}");
        Locator arrived = page.locator("#live-events li");
        assertThat(arrived).hasCount(1);
        assertThat(arrived.locator(".type")).hasText("MoneyWithdrawn");
        assertThat(arrived.locator("pre.data")).containsText("42");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("live-feed.png")));

        page.locator("#nav button[data-view='projections']").click();
        assertThat(page.locator("tr[data-projection] button.rebuild").first()).isVisible();
        page.locator("#nav button[data-view='stats']").click();
        assertThat(page.locator("#stats-events")).not().hasText("");
        assertThat(Long.parseLong(page.locator("#stats-events").textContent())).isGreaterThanOrEqualTo(5);

        page.locator("#sign-out").click();
        assertThat(page.locator("#sign-in")).isVisible();
        assertThat(page.evaluate("() => sessionStorage.length")).isEqualTo(0);
        page.close();
    }

    @Test
    @DisplayName("a key without the admin role sees streams and projections, and a note for a rebuild and in place of statistics")
    void readerKey() {
        var created = admin.postJson("/api/admin/keys", "{\"name\": \"ui-reader-" + category + "\", \"roles\": [\"read\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        append(category + "-reader", "{\"type\": \"AccountOpened\", \"data\": {\"owner\": \"Reader\"}}");

        Page page = open();
        signIn(page, created.json().get("key").asText());
        page.locator("#category").fill(category);
        page.locator("#stream-filter button").click();
        assertThat(page.locator("tr[data-stream='" + category + "-reader']")).isVisible();
        page.locator("#nav button[data-view='projections']").click();
        page.onDialog(dialog -> dialog.accept());
        page.locator("tr[data-projection] button.rebuild").first().click();
        assertThat(page.locator("#projections-note")).containsText("lacks the admin role, which a rebuild needs");
        page.locator("#nav button[data-view='stats']").click();
        assertThat(page.locator("#stats-note")).containsText("lacks the admin role");
        page.close();
    }

    @Test
    @DisplayName("an order's stream shows its events as stored and, through the order API, in their current shape")
    void orderStream() {
        var placed = admin.postJson("/api/orders", """
                {"customerId": "cust-ui",
                 "lineItems": [{"productId": "p-1", "sku": "SKU-1", "name": "Widget", "quantity": 2, "unitPrice": 10.00}],
                 "shippingAddress": {"line1": "1 Main St", "city": "Springfield", "country": "US", "postalCode": "12345"}}
                """);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        String stream = "order-" + placed.json().get("id").asText();

        Page page = open();
        signIn(page, ApiClient.TEST_ADMIN_KEY);
        page.locator("#category").fill("order");
        page.locator("#stream-filter button").click();
        assertThat(page.locator("tr.stream").first()).isVisible();
        page.evaluate("stream => openStream(stream)", stream);
        assertThat(page.locator("#stream-head")).containsText("as stored");
        assertThat(page.locator("#events li .type").first()).hasText("OrderPlaced");
        page.locator("input[name=shape][value=upcast]").check();
        assertThat(page.locator("#stream-head")).containsText(stream + " version 1, upcast");
        assertThat(page.locator("#events li")).hasCount(1);
        assertThat(page.locator("#events li pre.data")).containsText("cust-ui");
        page.close();
    }

    /** The view as the README shows it: written under target, and to docs/images when that is missing or asked for. */
    private static void screenshot(Page page) throws IOException {
        Path taken = SCREENSHOTS.resolve("event-browser.png");
        page.screenshot(new Page.ScreenshotOptions().setPath(taken));
        assertThat(Files.size(taken)).isPositive();
        if (!Files.exists(DOCUMENTED) || "true".equals(System.getenv("EVENTSTORE_UPDATE_SCREENSHOTS"))) {
            Files.createDirectories(DOCUMENTED.getParent());
            Files.copy(taken, DOCUMENTED, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
