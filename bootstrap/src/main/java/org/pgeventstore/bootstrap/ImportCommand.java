package org.pgeventstore.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.adapters.http.OwnedCategories;
import org.pgeventstore.application.eventstore.AppendResult;
import org.pgeventstore.application.eventstore.DuplicateEventId;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.StreamId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code admin import FILE}: appends the events of a file {@code export} wrote through the event
 * store's append, stream by stream in the file's order, with expected version any and the file's
 * event ids: an event already stored is a re-send and appends nothing, so importing a file twice
 * stores its events once. The store numbers and positions them anew. The file is read whole and
 * checked before anything is appended: a line that is not an event, or an event of a category an
 * aggregate owns (which generic appends over HTTP may not write either), refuses the whole import.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Appends the events of a JSON-lines file (as export writes it); events already stored (by eventId) "
                + "are not appended again.")
public class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The JSON-lines file.")
    Path file;

    @Option(names = "--json", description = "Print the counts as JSON.")
    boolean json;

    @Inject
    @Named(EventStoreFactory.PRIMARY)
    EventStore store;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, List<NewEvent>> streams = new LinkedHashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Optional<String> refused = read(line, streams);
                if (refused.isPresent()) {
                    err.println("error: " + file + " line " + number + ": " + refused.get() + "; nothing was imported");
                    return 1;
                }
            }
        }
        long appended = 0;
        long present = 0;
        for (Map.Entry<String, List<NewEvent>> stream : streams.entrySet()) {
            List<NewEvent> events = stream.getValue();
            for (int from = 0; from < events.size(); from += ExportCommand.PAGE) {
                List<NewEvent> batch = events.subList(from, Math.min(events.size(), from + ExportCommand.PAGE));
                long fresh = append(StreamId.of(stream.getKey()), batch);
                appended += fresh;
                present += batch.size() - fresh;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(ApiJson.write(Map.of("streams", streams.size(), "appended", appended, "alreadyStored", present)));
        } else {
            out.println("imported " + streams.size() + " streams: " + appended + " events appended, " + present
                    + " already stored");
        }
        return 0;
    }

    /** Adds the line's event to its stream; what is wrong with it, if anything. */
    private static Optional<String> read(String line, Map<String, List<NewEvent>> streams) {
        JsonNode event;
        try {
            event = ApiJson.read(line.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException notJson) {
            return Optional.of("not a JSON event (" + notJson.getMessage() + ")");
        }
        for (String field : List.of("eventId", "streamId", "type", "data")) {
            if (!event.hasNonNull(field)) {
                return Optional.of("the event has no " + field);
            }
        }
        try {
            StreamId stream = StreamId.of(event.get("streamId").asText());
            Optional<String> owner = OwnedCategories.owner(stream.category());
            if (owner.isPresent()) {
                return Optional.of("streams of category " + stream.category()
                        + " take events only through the aggregate's commands: " + owner.get());
            }
            JsonNode metadata = event.path("metadata");
            NewEvent parsed = new NewEvent(UUID.fromString(event.get("eventId").asText()), event.get("type").asText(),
                    event.path("schemaVersion").asInt(NewEvent.FIRST_SCHEMA_VERSION), event.get("data").toString(),
                    metadata.isMissingNode() || metadata.isNull() ? NewEvent.EMPTY_OBJECT : metadata.toString());
            streams.computeIfAbsent(stream.value(), id -> new ArrayList<>()).add(parsed);
            return Optional.empty();
        } catch (IllegalArgumentException invalid) {
            return Optional.of(invalid.getMessage());
        }
    }

    /**
     * Appends the batch; how many of its events were not stored before. A batch some of whose
     * events an earlier, interrupted import stored is appended event by event.
     */
    private long append(StreamId stream, List<NewEvent> batch) {
        try {
            AppendResult result = store.append(stream, ExpectedVersion.ANY, batch);
            return result.replayed() ? 0 : batch.size();
        } catch (DuplicateEventId partly) {
            if (batch.size() == 1) {
                throw partly;
            }
            long fresh = 0;
            for (NewEvent event : batch) {
                if (store.findEvent(stream, event.eventId()).isEmpty()) {
                    fresh += append(stream, List.of(event));
                }
            }
            return fresh;
        }
    }
}
