package org.pgeventstore.application.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java in the guides is code the build compiles: every {@code ```java} block of
 * {@code docs/guides/*.md} appears, line for line (indentation aside), in a source file of the
 * project. A guide whose excerpt drifts from the code fails here.
 */
class GuideExcerptsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    record Excerpt(Path guide, int index, List<String> lines) {
        @Override
        public String toString() {
            return ROOT.relativize(guide) + " #" + (index + 1);
        }
    }

    static Stream<Excerpt> excerpts() throws IOException {
        List<Excerpt> excerpts = new ArrayList<>();
        try (Stream<Path> guides = Files.list(ROOT.resolve("docs/guides"))) {
            for (Path guide : guides.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                Matcher block = JAVA_BLOCK.matcher(Files.readString(guide));
                int index = 0;
                while (block.find()) {
                    excerpts.add(new Excerpt(guide, index++, trimmed(block.group(1))));
                }
            }
        }
        assertThat(excerpts).as("the guides show Java").isNotEmpty();
        return excerpts.stream();
    }

    private static List<String> trimmed(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** Every Java source of the project, line by line, read once for all excerpts. */
    private static final List<List<String>> SOURCES = sources();

    private static List<List<String>> sources() {
        List<List<String>> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(path -> path.toString().endsWith(".java") && path.toString().contains("/src/")
                            && !path.toString().contains("/target/"))
                    .forEach(path -> {
                        try {
                            sources.add(trimmed(Files.readString(path)));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sources;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("excerpts")
    @DisplayName("each Java excerpt of a guide is code of the project")
    void excerptIsCompiledCode(Excerpt excerpt) {
        boolean found = SOURCES.stream()
                .anyMatch(source -> Collections.indexOfSubList(source, excerpt.lines()) >= 0);
        assertThat(found).as("no source file holds, line for line, this excerpt of %s:%n%s", excerpt,
                String.join("\n", excerpt.lines())).isTrue();
    }
}
