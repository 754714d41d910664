package io.riskloop.server.web;

import io.riskloop.core.drift.DriftReport;
import io.riskloop.model.report.DriftReportJson;
import io.riskloop.registry.Registry;
import io.riskloop.registry.artifact.ArtifactStore;
import io.riskloop.server.MonitoringData;
import io.riskloop.server.RiskloopServer;
import io.riskloop.server.ServerParts;
import io.riskloop.server.auth.Role;
import io.riskloop.server.monitor.MonitorConfig;
import io.riskloop.server.retrain.RetrainPolicy;
import io.riskloop.store.monitor.LoopEvent;
import io.riskloop.store.monitor.MonitorStore;
import io.riskloop.store.testkit.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Monitoring page in a real browser (Debian's headless Chromium through WebDriver) against a real server that
 * runs the monitoring loop on a real PostgreSQL: an analyst sees the accuracy charts, the loop's events and the drift
 * reports, and opens one; an admin asks for a retraining, which the loop runs at its next tick. Screenshots go to
 * target/screenshots.
 */
class MonitoringPageBrowserTest {

    static final Path SHOTS = Path.of("target", "screenshots");
    static final String HOSTILE = "<img id=injected src=x onerror=alert(1)>";

    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

    @TempDir
    static Path dir;
    static ServerParts parts;
    static RiskloopServer server;
    static WebDriver browser;
    static String analystKey;
    static String adminKey;
    static long reportId;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(WebAppBrowserTest.CHROMIUM) && Files.isExecutable(WebAppBrowserTest.CHROMEDRIVER))
                .as("the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium"
                        + " chromium-driver (.ci/run does)")
                .isTrue();
        Clock clock = Clock.systemUTC();
        Registry registry = Registry.open(POSTGRES.database(), new ArtifactStore(dir.resolve("artifacts")), clock);
        MonitoringData.champion(registry, "fraud");
        // the loop's first tick would be an hour away: the test ticks it by hand
        parts = ServerParts.of(registry, clock).withMonitoring("fraud", MonitorConfig.DEFAULT, RetrainPolicy.DEFAULT,
                io.riskloop.core.drift.DriftPolicy.defaults(), 0.5, dir.resolve("work"), Duration.ofHours(1), clock,
                Instant.MIN, null, null);
        Instant now = clock.instant();
        MonitorStore store = parts.monitoring();
        for (int d = 10; d >= 1; d--) {
            store.record(MonitoringData.window("fraud/1", "decided", now.minus(Duration.ofDays(d)), 0.75 - d / 100.0));
            if (d <= 4) {
                store.record(MonitoringData.window("fraud/2", "shadow", now.minus(Duration.ofDays(d)), 0.8));
            }
        }
        DriftReport report = MonitoringData.driftReport("fraud/1", now.minus(Duration.ofDays(2)));
        reportId = store.record(report.modelVersion(), report.from(), report.to(), report.datasetDrift(),
                report.driftedShare(), DriftReportJson.write(report));
        store.record(LoopEvent.of(now.minus(Duration.ofDays(2)), "drift_detected", "fraud", "fraud/1",
                "dataset drift against fraud/1's reference: 67 % of features drifted " + HOSTILE,
                Map.of("report", reportId)));
        store.record(LoopEvent.of(now.minus(Duration.ofDays(1)), "challenger_registered", "fraud", "fraud/2",
                "registered fraud/2 as challenger", Map.of()));
        analystKey = parts.keys().create("ana", Role.ANALYST, "test").secret();
        adminKey = parts.keys().create("adam", Role.ADMIN, "test").secret();
        server = RiskloopServer.start(parts, "127.0.0.1", 0);
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(WebAppBrowserTest.CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1400",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(WebAppBrowserTest.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (parts != null) {
            parts.close();
        }
    }

    static WebDriverWait waitUp() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    static void open(String path) {
        browser.get("http://127.0.0.1:" + server.port() + path);
    }

    static void logIn(String key) {
        browser.manage().deleteAllCookies();
        open("/ui/login?next=/ui/monitoring");
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.id("login")).click();
        waitUp().until(ExpectedConditions.urlContains("/ui/monitoring"));
        // the URL changes before the page has loaded: wait for its menu
        waitUp().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("header nav a.on")));
    }

    static void shot(String name) throws Exception {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anAnalystSeesAccuracyEventsAndDriftReportsButCannotRetrain() throws Exception {
        logIn(analystKey);
        assertThat(browser.findElement(By.cssSelector("header nav a.on")).getText()).isEqualTo("Monitoring");
        // both charts drawn by Chart.js from the page's data
        waitUp().until(d -> "true".equals(d.findElement(By.id("chart-ap")).getDomAttribute("data-drawn"))
                && "true".equals(d.findElement(By.id("chart-cp")).getDomAttribute("data-drawn")));
        assertThat(browser.findElements(By.cssSelector("#accuracy tbody tr")))
                .extracting(r -> r.getDomAttribute("data-version") + " " + r.getDomAttribute("data-alias"))
                .containsExactly("fraud/1 decided", "fraud/2 shadow");
        assertThat(browser.findElement(By.cssSelector("#accuracy tr[data-alias='shadow']")).getText())
                .contains("0.800", "0.400");

        assertThat(browser.findElements(By.cssSelector("#events tbody tr")))
                .extracting(r -> r.getDomAttribute("data-kind"))
                .as("newest first (the other test may have added a retraining's events before them)")
                .containsSubsequence("challenger_registered", "drift_detected");
        // text is text: the hostile summary is shown as written, and made no element
        assertThat(browser.findElement(By.cssSelector("#events tr[data-kind='drift_detected']")).getText())
                .contains("fraud/1", HOSTILE);
        assertThat(browser.findElements(By.id("injected"))).isEmpty();
        assertThat(browser.findElements(By.id("retrain"))).as("analysts do not retrain").isEmpty();
        shot("10-monitoring");

        // an analyst's form post is refused even with the session's token
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("var done = arguments[0];"
                + "fetch('/ui/monitoring/retrain', {method: 'POST', headers: {'X-CSRF-Token':"
                + " document.querySelector('input[name=csrf]').value}}).then(r => done(r.status));");
        assertThat(status).isEqualTo(403L);

        browser.findElement(By.cssSelector("#drift-reports tr[data-id='" + reportId + "'] a")).click();
        waitUp().until(ExpectedConditions.urlContains("/ui/monitoring/drift/" + reportId));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Drift of fraud/1 (report " + reportId
                + ")");
        assertThat(browser.findElements(By.cssSelector("svg"))).hasSize(4); // the score and three features
        shot("11-drift-report");
    }

    @Test
    void anAdminAsksForARetrainingThatTheLoopRunsAtItsNextTick() throws Exception {
        logIn(adminKey);
        browser.findElement(By.id("retrain")).click();
        waitUp().until(ExpectedConditions.presenceOfElementLocated(By.id("monitoring-notice")));
        assertThat(browser.findElement(By.id("monitoring-notice")).getText()).contains("Retraining requested");
        assertThat(parts.audit().recent("model:fraud", "adam", null, 5)).extracting(e -> e.action())
                .containsExactly("retrain.request");

        assertThat(parts.loop().tick()).extracting(LoopEvent::kind)
                .containsExactly("retrain_triggered", "retrain_stopped");
        open("/ui/monitoring");
        assertThat(browser.findElements(By.cssSelector("#events tbody tr"))).extracting(r -> r.getDomAttribute("data-kind"))
                .startsWith("retrain_stopped", "retrain_triggered");
        assertThat(browser.findElement(By.cssSelector("#events tr[data-kind='retrain_triggered']")).getText())
                .contains("manual");
        shot("12-monitoring-retrain");
    }
}
