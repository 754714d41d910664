package io.riskloop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's deployment files, read as the tools that use them read them. */
final class DeployFiles {

    /** The repository root (tests run in the deploy module's directory). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {
    }

    /**
     * The YAML documents of a file, anchors and merge keys resolved, as JSON trees. Scalars are typed as YAML 1.2
     * (Kubernetes, Compose and GitHub Actions) types them: {@code on}, {@code yes} and {@code no} are strings, not
     * booleans as in YAML 1.1.
     */
    static List<JsonNode> yaml(Path file) {
        LoaderOptions options = new LoaderOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new CoreSchemaResolver());
        List<JsonNode> docs = new ArrayList<>();
        try {
            for (Object doc : yaml.loadAll(Files.readString(file))) {
                if (doc != null) {
                    docs.add(JSON.valueToTree(doc));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static JsonNode yamlDocument(Path file) {
        List<JsonNode> docs = yaml(file);
        if (docs.size() != 1) {
            throw new AssertionError(file + " holds " + docs.size() + " YAML documents, expected one");
        }
        return docs.get(0);
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The RISKLOOP_* variables riskloop reads: the first column of the configuration tables in docs/operations.md
     * (the generated per-command lists, which a cli test keeps equal to the commands, and the variables read directly).
     */
    static Set<String> knownVariables() {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `(RISKLOOP_[A-Z0-9_]+)` \\|").matcher(read(ROOT.resolve("docs/operations.md")));
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.size() < 20) {
            throw new AssertionError("docs/operations.md lists only " + names + ": its configuration tables are missing");
        }
        return names;
    }

    /** Every element of an array node (none for a missing node). */
    static Iterable<JsonNode> each(JsonNode array) {
        return array == null || array.isMissingNode() || array.isNull() ? List.of() : array::elements;
    }

    static Iterable<String> fieldNames(JsonNode object) {
        return () -> object == null ? java.util.Collections.emptyIterator() : object.fieldNames();
    }

    static <T> List<T> list(Iterator<T> it) {
        List<T> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    /** YAML 1.2's core schema: only true/false are booleans; no timestamps. */
    private static final class CoreSchemaResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
