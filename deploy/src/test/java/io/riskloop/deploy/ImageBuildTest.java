package io.riskloop.deploy;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image's build, checked without a registry: the Jib configuration in cli/pom.xml (base, user,
 * entrypoint, the runnable jar, ports, state directory) and deploy/build-image.sh. Building the image itself needs
 * the base image's registry (docs/operations.md).
 */
class ImageBuildTest {

    static final Path CLI_POM = DeployFiles.ROOT.resolve("cli/pom.xml");
    static final Element POM = parse(CLI_POM);
    static final Map<String, String> PROPERTIES = properties();
    static final Element JIB = jib();

    static Element parse(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document d = f.newDocumentBuilder().parse(file.toFile());
            return d.getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<Element> children(Element parent, String name) {
        List<Element> l = new ArrayList<>();
        if (parent == null) {
            return l;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                l.add(e);
            }
        }
        return l;
    }

    /** The element at a path of child names, or null. */
    static Element at(Element from, String... path) {
        Element e = from;
        for (String p : path) {
            List<Element> c = children(e, p);
            if (c.isEmpty()) {
                return null;
            }
            e = c.get(0);
        }
        return e;
    }

    /** Text with the pom's own properties resolved. */
    static String text(Element e) {
        assertThat(e).as("missing element in cli/pom.xml's Jib configuration").isNotNull();
        String t = e.getTextContent().strip();
        for (var p : PROPERTIES.entrySet()) {
            t = t.replace("${" + p.getKey() + "}", p.getValue());
        }
        return t;
    }

    static List<String> texts(Element parent, String child) {
        return children(parent, child).stream().map(ImageBuildTest::text).toList();
    }

    private static Map<String, String> properties() {
        Map<String, String> m = new HashMap<>();
        for (Node n = at(POM, "properties") == null ? null : at(POM, "properties").getFirstChild(); n != null;
             n = n.getNextSibling()) {
            if (n instanceof Element e) {
                m.put(e.getTagName(), e.getTextContent().strip());
            }
        }
        return m;
    }

    private static Element jib() {
        for (Element plugin : children(at(POM, "build", "pluginManagement", "plugins"), "plugin")) {
            if (text(at(plugin, "artifactId")).equals("jib-maven-plugin")) {
                return plugin;
            }
        }
        throw new AssertionError("cli/pom.xml manages no jib-maven-plugin");
    }

    @Test
    void theImageIsTheRunnableJarOnASmallJre21BaseAsANonRootUser() {
        Element config = at(JIB, "configuration");
        assertThat(text(at(config, "from", "image"))).startsWith("eclipse-temurin:21-jre");
        String user = text(at(config, "container", "user"));
        assertThat(user).matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).as("the image's user id").isPositive();

        List<String> entrypoint = texts(at(config, "container", "entrypoint"), "arg");
        assertThat(entrypoint.get(0)).isEqualTo("java");
        int jar = entrypoint.indexOf("-jar");
        assertThat(jar).as("the entrypoint runs the jar: %s", entrypoint).isPositive();
        String jarPath = entrypoint.get(jar + 1);

        // the jar shade makes is the jar the image carries, where the entrypoint runs it
        Element shade = children(at(POM, "build", "plugins"), "plugin").stream()
                .filter(p -> text(at(p, "artifactId")).equals("maven-shade-plugin")).findFirst().orElseThrow();
        String jarName = text(at(shade, "executions", "execution", "configuration", "finalName")) + ".jar";
        Element jarPathElement = children(at(config, "extraDirectories", "paths"), "path").stream()
                .filter(p -> at(p, "includes") != null && text(at(p, "includes")).equals(jarName)).findFirst()
                .orElseThrow(() -> new AssertionError("no extra directory puts " + jarName + " in the image"));
        assertThat(text(at(jarPathElement, "from"))).isEqualTo("${project.build.directory}");
        assertThat(text(at(jarPathElement, "into")) + "/" + jarName).isEqualTo(jarPath);
        // and Jib's own copy of the classes and libraries is dropped: the jar holds them
        assertThat(config.getTextContent()).contains("JibLayerFilterExtension", "/app/**");

        assertThat(texts(at(config, "container", "ports"), "port")).contains("8080", "8081");
        Map<String, String> env = new HashMap<>();
        children(at(config, "container", "environment"), "RISKLOOP_HOST").forEach(e -> env.put("RISKLOOP_HOST", text(e)));
        children(at(config, "container", "environment"), "RISKLOOP_HTTP_HOST")
                .forEach(e -> env.put("RISKLOOP_HTTP_HOST", text(e)));
        assertThat(env).containsEntry("RISKLOOP_HOST", "0.0.0.0").containsEntry("RISKLOOP_HTTP_HOST", "0.0.0.0");
        Set<String> known = DeployFiles.knownVariables();
        for (Node n = at(config, "container", "environment").getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().startsWith("RISKLOOP_")) {
                assertThat(known).contains(e.getTagName());
            }
        }
    }

    @Test
    void theStateDirectoryIsTheWorkingDirectoryAndWritable() {
        Element config = at(JIB, "configuration");
        String workdir = text(at(config, "container", "workingDirectory"));
        assertThat(workdir).isEqualTo("/var/lib/riskloop");
        assertThat(Files.isDirectory(DeployFiles.DEPLOY.resolve("image" + workdir))).isTrue();
        Element permission = at(config, "extraDirectories", "permissions", "permission");
        assertThat(text(at(permission, "file"))).isEqualTo(workdir);
        assertThat(text(at(permission, "mode"))).isEqualTo("777");
        // Kubernetes mounts the artifact store where the image's commands look for it: <workdir>/data/artifacts
        assertThat(DeployFiles.read(DeployFiles.DEPLOY.resolve("k8s/processor.yaml")))
                .contains("mountPath: " + workdir + "/data/artifacts");
    }

    @Test
    void theProfilesBuildATarballOrPush() {
        Map<String, String> goals = new HashMap<>();
        for (Element profile : children(at(POM, "profiles"), "profile")) {
            for (Element plugin : children(at(profile, "build", "plugins"), "plugin")) {
                if (text(at(plugin, "artifactId")).equals("jib-maven-plugin")) {
                    Element execution = at(plugin, "executions", "execution");
                    assertThat(text(at(execution, "phase"))).isEqualTo("package");
                    goals.put(text(at(profile, "id")), text(at(execution, "goals", "goal")));
                }
            }
        }
        assertThat(goals).containsEntry("image", "buildTar").containsEntry("image-push", "build");
        assertThat(text(at(JIB, "configuration", "outputPaths", "tar"))).endsWith("/riskloop-image.tar");
    }

    @Test
    void theBuildScriptIsValidBashAndUsesTheWrapperAndTheProfiles() throws Exception {
        Path script = DeployFiles.DEPLOY.resolve("build-image.sh");
        assertThat(Files.isExecutable(script)).as("deploy/build-image.sh is executable").isTrue();
        String s = DeployFiles.read(script);
        assertThat(s).contains("./mvnw", "-Pimage", "-Pimage-push", "target/riskloop-image.tar", "-pl cli -am");
        assertThat(s).doesNotContain("install");
        Process syntax = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        String out = new String(syntax.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(syntax.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(syntax.exitValue()).as(out).isZero();
        Process help = new ProcessBuilder("bash", script.toString(), "--help").redirectErrorStream(true).start();
        String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(usage).contains("--push", "target/riskloop-image.tar", "IMAGE_BASE");
        Process wrong = new ProcessBuilder("bash", script.toString(), "--bogus").redirectErrorStream(true).start();
        wrong.getInputStream().readAllBytes();
        assertThat(wrong.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(wrong.exitValue()).isEqualTo(2);
    }
}
