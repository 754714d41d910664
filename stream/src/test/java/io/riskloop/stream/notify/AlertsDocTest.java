package io.riskloop.stream.notify;

import io.riskloop.stream.Topics;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/alerts.md's configuration reference lists every component of the configuration records, and no other, with
 * the defaults the records' factories give: the records are the declaration, the tables follow them.
 */
class AlertsDocTest {

    private static final Path DOC = Path.of("..", "docs", "alerts.md");

    @Test
    void theConfigurationReferenceMatchesTheRecords() throws Exception {
        String doc = Files.readString(DOC);
        check(doc, "WebhookConfig", WebhookConfig.of("https://alerts.example/hook", NotifyKit.SECRET));
        check(doc, "EmailConfig", EmailConfig.of("smtp.example", 25, "a@bank.example", List.of("b@bank.example")));
        check(doc, "RetryPolicy", RetryPolicy.DEFAULT);
        check(doc, "AlertDispatcher.Options", AlertDispatcher.Options.defaults("kafka:9092"));
    }

    @Test
    void theTopicsAreDocumented() throws Exception {
        String doc = Files.readString(DOC);
        assertThat(doc).contains("| `" + Topics.DEFAULT.alerts() + "` |", "| `" + Topics.DEFAULT.alertDeadLetters() + "` |");
        for (AlertDeadLetter.Cause c : AlertDeadLetter.Cause.values()) {
            assertThat(doc).contains("| `" + c.id() + "` |");
        }
    }

    private static void check(String doc, String section, Record defaults) throws Exception {
        Map<String, String> rows = table(doc, section);
        List<String> components = Arrays.stream(defaults.getClass().getRecordComponents())
                .map(RecordComponent::getName).toList();
        assertThat(rows.keySet()).as("settings documented under %s", section).containsExactlyElementsOf(components);
        for (RecordComponent c : defaults.getClass().getRecordComponents()) {
            String documented = rows.get(c.getName());
            if (documented.equals("required")) {
                continue;
            }
            assertThat(documented).as("documented default of %s.%s", section, c.getName())
                    .isEqualTo(shown(c.getAccessor().invoke(defaults)));
        }
    }

    /** The rows of the table under {@code ### `section`}: setting name to its default cell. */
    private static Map<String, String> table(String doc, String section) {
        String heading = "### `" + section + "`";
        int at = doc.indexOf(heading);
        assertThat(at).as("docs/alerts.md has a section %s", heading).isNotNegative();
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : doc.substring(at + heading.length()).split("\n")) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                rows.put(cells[1].strip().replace("`", ""), cells[3].strip());
            }
        }
        return rows;
    }

    private static String shown(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof Duration d) {
            return "`" + (d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms") + "`";
        }
        if (value.equals(RetryPolicy.DEFAULT)) {
            return "`RetryPolicy.DEFAULT`";
        }
        if (value.equals(Topics.DEFAULT)) {
            return "`Topics.DEFAULT`";
        }
        return "`" + value + "`";
    }
}
