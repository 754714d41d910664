package io.riskloop.server.web;

import io.riskloop.server.StackWeb;
import io.riskloop.server.auth.Role;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app in a real browser (Debian's headless Chromium through WebDriver) against the real server, pipeline,
 * broker and database: an analyst logs in, opens the queue and a transaction, labels it, sees it leave the queue
 * and appear in the audit log; an admin promotes a model version after confirming. Every page is saved as a
 * screenshot under target/screenshots for a person to look at.
 */
class WebAppBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;
    static StackWeb stack;
    static WebDriver browser;
    static String analystKey;
    static String adminKey;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "): apt-get install -y chromium chromium-driver (.ci/run does)")
                .isTrue();
        stack = StackWeb.start(POSTGRES.database(), dir, 250);
        analystKey = stack.parts().keys().create("ana", Role.ANALYST, "test").secret();
        adminKey = stack.parts().keys().create("adam", Role.ADMIN, "test").secret();
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1100",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static WebDriverWait waitUp() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    static void open(String path) {
        browser.get(stack.url(path));
    }

    static void shot(String name) throws Exception {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    static void logIn(String key) {
        open("/ui/login");
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.id("login")).click();
    }

    static void chartsDrawn() {
        waitUp().until(d -> !d.findElements(By.cssSelector("canvas[data-chart]")).isEmpty()
                && d.findElements(By.cssSelector("canvas[data-chart]:not([data-drawn])")).isEmpty());
    }

    @Test
    void anAnalystLabelsATransactionAndItLeavesTheQueueIntoTheAuditLog() throws Exception {
        // not logged in: sent to the log-in page, which refuses a wrong key
        open("/ui/queue");
        waitUp().until(ExpectedConditions.urlContains("/ui/login"));
        browser.findElement(By.id("key")).sendKeys("rlk_wrong-wrong-wrong-wrong-wrong-wrong-wrong");
        browser.findElement(By.id("login")).click();
        assertThat(browser.findElement(By.id("login-error")).getText()).contains("not valid");
        shot("01-login");

        logIn(analystKey);
        waitUp().until(ExpectedConditions.urlContains("/ui/queue"));
        assertThat(browser.findElement(By.id("user")).getText()).contains("ana");
        List<WebElement> rows = browser.findElements(By.cssSelector("#queue tbody tr"));
        assertThat(rows).as("reviews waiting").isNotEmpty();
        List<Double> scores = rows.stream().map(r -> Double.parseDouble(r.findElement(By.cssSelector(".score"))
                .getText())).toList();
        assertThat(scores).as("highest score first").isSortedAccordingTo((a, b) -> Double.compare(b, a));
        String id = rows.get(0).getDomAttribute("data-id");
        long before = stack.parts().queries().count(io.riskloop.store.decisions.DecisionFilter.REVIEW_QUEUE);
        assertThat(browser.findElement(By.id("queue-size")).getText()).contains(Long.toString(before));
        shot("02-queue");

        // the filters narrow the queue (htmx swaps the list in)
        browser.findElement(By.name("min_score")).sendKeys("0.5");
        browser.findElement(By.cssSelector("form.filters button")).click();
        waitUp().until(ExpectedConditions.urlContains("min_score=0.5"));
        waitUp().until(d -> d.findElements(By.cssSelector("#queue tbody tr .score")).stream()
                .allMatch(s -> Double.parseDouble(s.getText()) >= 0.5));

        open("/ui/transactions/" + id);
        assertThat(browser.findElement(By.id("tx-id")).getText()).isEqualTo(id);
        assertThat(browser.findElement(By.id("decision")).getText()).isEqualTo("REVIEW");
        assertThat(browser.findElements(By.cssSelector("#reasons li"))).isNotEmpty();
        chartsDrawn();
        assertThat(browser.findElements(By.id("explanation-unavailable"))).isEmpty();
        shot("03-transaction");

        browser.findElement(By.id("comment")).sendKeys("card holder did not recognise it");
        browser.findElement(By.id("label-fraud")).click();
        waitUp().until(ExpectedConditions.presenceOfElementLocated(By.id("label-notice")));
        assertThat(browser.findElement(By.id("current-label")).getText()).isEqualTo("fraud");
        assertThat(browser.findElement(By.id("tx-audit")).getText()).contains("label.set", "ana");
        assertThat(browser.findElement(By.id("label-history")).getText()).contains("card holder did not recognise it");
        shot("04-labelled");

        open("/ui/queue");
        assertThat(browser.findElements(By.cssSelector("#queue tbody tr"))).extracting(r -> r.getDomAttribute("data-id"))
                .doesNotContain(id);
        assertThat(browser.findElement(By.id("queue-size")).getText()).contains(Long.toString(before - 1));

        open("/ui/audit");
        WebElement entry = browser.findElement(By.cssSelector("#audit tr[data-subject='transaction:" + id + "']"));
        assertThat(entry.getText()).contains("ana", "label.set", "fraud");
        shot("05-audit");

        open("/ui/dashboard");
        chartsDrawn();
        assertThat(Long.parseLong(browser.findElement(By.id("decisions")).getText())).isGreaterThanOrEqualTo(250);
        assertThat(browser.findElement(By.id("alert-rate")).getText()).endsWith("%");
        shot("06-dashboard");

        open("/ui/models");
        assertThat(browser.findElement(By.id("versions")).getText()).contains("champion");
        assertThat(browser.findElements(By.id("rollback"))).as("analysts do not promote").isEmpty();
        open("/ui/models/fraud/confirm?action=rollback&alias=champion");
        assertThat(browser.findElement(By.id("problem")).getText()).contains("admins");

        open("/docs");
        assertThat(browser.findElement(By.id("endpoints")).getText()).contains("/api/v1/score");
        shot("09-api-docs");
    }

    @Test
    void anAdminPromotesAVersionAfterConfirming() throws Exception {
        int v2 = stack.registerVersion();
        browser.manage().deleteAllCookies();
        logIn(adminKey);
        waitUp().until(ExpectedConditions.urlContains("/ui/queue"));
        open("/ui/models");
        browser.findElement(By.cssSelector("tr[data-version='" + v2 + "'] a.button")).click();
        waitUp().until(ExpectedConditions.urlContains("/confirm"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("v" + v2, "champion");
        shot("07-confirm");
        browser.findElement(By.id("reason")).sendKeys("retrained on fresh labels");
        browser.findElement(By.id("confirm")).click();
        waitUp().until(ExpectedConditions.presenceOfElementLocated(By.id("models-notice")));
        assertThat(browser.findElement(By.cssSelector("tr[data-version='" + v2 + "']")).getText()).contains("champion");
        assertThat(browser.findElement(By.id("alias-history")).getText()).contains("retrained on fresh labels", "adam");
        shot("08-models");
        assertThat(stack.parts().audit().recent("model:fraud@champion", "adam", null, 5)).isNotEmpty();
        StackWeb.await("the server scoring with v" + v2, () -> stack.parts().scoring().champion().info()
                .map(i -> i.version().equals("fraud/" + v2)).orElse(false));
    }

    @Test
    void sessionsAreHttpOnlyStrictCookiesAndFormsNeedTheirToken() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(stack.url("/ui/login"))).build(),
                HttpResponse.BodyHandlers.ofString());
        String loginCookie = form.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(loginCookie).contains("HttpOnly", "SameSite=Strict");
        assertThat(form.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(c ->
                assertThat(c).contains("script-src 'self'"));
        String token = loginCookie.substring(loginCookie.indexOf('=') + 1, loginCookie.indexOf(';'));
        // a log-in form posted without its token (e.g. from another site) is refused
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(stack.url("/ui/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + analystKey)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).doesNotContain("Exception");
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(stack.url("/ui/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "riskloop_login=" + token)
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + token + "&key=" + analystKey)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).isEqualTo(303);
        String session = in.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("riskloop_session="))
                .findFirst().orElseThrow();
        assertThat(session).contains("HttpOnly", "SameSite=Strict", "Path=/");
        String cookie = session.substring(0, session.indexOf(';'));
        var queue = stack.parts().queries().search(io.riskloop.store.decisions.DecisionFilter.REVIEW_QUEUE,
                io.riskloop.store.decisions.DecisionQueries.Order.SCORE, 1, null).items();
        String id = queue.get(0).decision().transaction().id();
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(stack.url("/ui/transactions/" + id
                        + "/label"))).header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("fraud=true")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(stack.parts().decisions().find(id).orElseThrow().trueLabel()).as("nothing labelled").isNull();
    }
}
