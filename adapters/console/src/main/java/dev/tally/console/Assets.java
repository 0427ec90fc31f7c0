package dev.tally.console;

import dev.tally.http.HttpReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The console's files, read once from the jar: its own pages (under {@code dev/tally/console/static}) and
 * uPlot's script and style from its WebJar. Nothing is fetched at run time, so the pages work offline.
 */
final class Assets {

    private static final String OWN = "/dev/tally/console/static/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "png", "image/png", "svg", "image/svg+xml");

    private final Map<String, HttpReply> files;

    Assets() {
        String uplot = "/META-INF/resources/webjars/uplot/" + webJarVersion("uplot") + "/dist/";
        files = Map.of(
                "", file(OWN + "index.html"),
                "app.js", file(OWN + "app.js"),
                "app.css", file(OWN + "app.css"),
                "uPlot.iife.min.js", file(uplot + "uPlot.iife.min.js"),
                "uPlot.min.css", file(uplot + "uPlot.min.css"));
    }

    /** The file at {@code name} (relative to /console/), or a 404 page. */
    HttpReply get(String name) {
        HttpReply file = files.get(name);
        return file != null ? file : HttpReply.text(404, "no such page in the console: /console/" + name.replaceAll("[^\\w./-]", "?") + "\n");
    }

    private static HttpReply file(String resource) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the console's file " + resource + " is missing from the jar");
            }
            String extension = resource.substring(resource.lastIndexOf('.') + 1);
            return new HttpReply(200, Map.of("Content-Type", TYPES.get(extension)), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String webJarVersion(String artifact) {
        String resource = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the WebJar " + artifact + " is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
