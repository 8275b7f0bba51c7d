package org.pgeventstore.bootstrap;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.EventView;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.FeedPage;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.eventstore.StreamSlice;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code admin export}: a stream's or a category's events as JSON lines, one event a line in the
 * shape the feed and the stream reads show ({@link EventView}), oldest first; what {@code import}
 * reads.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes a stream's or a category's events as JSON lines, one event a line, in the feed's shape.")
public class ExportCommand implements Callable<Integer> {

    /** Events read at a time. */
    static final int PAGE = 1000;

    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Source source;

    static class Source {
        @Option(names = "--stream", paramLabel = "ID", description = "One stream, by version.")
        String stream;

        @Option(names = "--category", paramLabel = "C", description = "Every stream of a category, in feed order.")
        String category;
    }

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path file;

    @Inject
    @Named(EventStoreFactory.PRIMARY)
    EventStore store;

    @Override
    public Integer call() throws IOException {
        if (file == null) {
            PrintWriter out = spec.commandLine().getOut();
            long written = export(out);
            out.flush();
            spec.commandLine().getErr().println("exported " + written + " events");
            return 0;
        }
        long written;
        try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8))) {
            written = export(out);
        }
        spec.commandLine().getOut().println("exported " + written + " events to " + file);
        return 0;
    }

    private long export(Writer out) throws IOException {
        long written = 0;
        if (source.stream != null) {
            StreamId stream = StreamId.of(source.stream);
            long from = 1;
            while (true) {
                StreamSlice slice = store.read(stream, from, PAGE);
                written += write(slice.events(), out);
                if (slice.events().size() < PAGE) {
                    return written;
                }
                from = slice.events().getLast().version() + 1;
            }
        }
        EventFilter filter = EventFilter.category(source.category);
        long after = 0;
        while (true) {
            FeedPage page = store.readAll(after, PAGE, filter);
            if (page.events().isEmpty()) {
                return written;
            }
            written += write(page.events(), out);
            after = page.next();
        }
    }

    private static int write(List<RecordedEvent> events, Writer out) throws IOException {
        for (RecordedEvent event : events) {
            out.write(ApiJson.write(EventView.of(event)));
            out.write('\n');
        }
        return events.size();
    }
}
