package org.pgeventstore.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.pgeventstore.application.eventstore.EventFilter;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.feed.FeedFollower;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The global feed pushed as Server-Sent Events: the events, order and filters of
 * {@code GET /api/events}, each as it becomes visible. Each stream reads the feed on demand, a page
 * at a time, on a virtual thread of its own that waits on the {@link AppendSignal} when caught up:
 * a client that stops reading stops its stream's reads (the transport's backpressure), never a
 * writer's or another stream's. The number of open streams is bounded.
 */
@Controller("/api/events/stream")
@ApiProblems
@Tag(name = "streams")
public class EventStreamController implements GracefulShutdownCapable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreamController.class);
    static final String RETRY_AFTER_SECONDS = "5";

    private final EventStore store;
    private final AppendSignal signal;
    private final EventStreamSettings settings;
    private final Semaphore slots;
    /** The open streams' feed readers, to stop when the service shuts down. */
    private final Set<FeedFollower> followers = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private final ExecutorService readers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("event-stream-", 0).factory());
    private final Scheduler scheduler = Schedulers.fromExecutorService(readers, "event-streams");

    public EventStreamController(EventStore store, AppendSignal signal, EventStreamSettings settings) {
        this.store = store;
        this.signal = signal;
        this.settings = settings;
        this.slots = new Semaphore(settings.getMaxStreams());
    }

    @Operation(summary = "Follow the global feed as Server-Sent Events", operationId = "streamFeed",
            parameters = @Parameter(in = ParameterIn.QUERY, name = "type", description = "Only events of these types: "
                    + "repeat it, or separate types with commas (at most 100)", explode = Explode.TRUE,
                    array = @ArraySchema(schema = @Schema(type = "string"))),
            description = "The events of GET /api/events "
            + "(same order, same category and type filters), pushed as they become visible: id is the position, event "
            + "the type, data the event as the feed shows it. Last-Event-ID resumes after that position and wins over "
            + "after. A ': keep-alive' comment line comes when the stream has been silent for eventstore.sse.heartbeat.")
    @ApiResponse(responseCode = "200", description = "A stream of events (text/event-stream)",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM),
        headers = @io.swagger.v3.oas.annotations.headers.Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "A parameter or Last-Event-ID is not valid",
            content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = @io.swagger.v3.oas.annotations.headers.Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "503", description = "As many streams are open as this instance serves; retry after "
            + "Retry-After", content = @Content(mediaType = ProblemResponses.PROBLEM_JSON,
                    schema = @Schema(implementation = ApiDocumentation.ProblemDocument.class)),
        headers = {@io.swagger.v3.oas.annotations.headers.Header(name = "Retry-After", description = "seconds", schema = @Schema(type = "integer")),
            @io.swagger.v3.oas.annotations.headers.Header(name = RequestMetadata.CORRELATION_ID, description = RequestMetadata.CORRELATION_ECHOED, schema = @Schema(type = "string"))})
    @Get
    @Produces(MediaType.TEXT_EVENT_STREAM)
    public HttpResponse<?> stream(@QueryValue @Nullable @Parameter(description = "The position to follow after",
                                          schema = @Schema(type = "integer", format = "int64", minimum = "0"))
                                  String after,
                                  @QueryValue @Nullable @Parameter(description = "Only events of this category")
                                  String category,
                                  @Header("Last-Event-ID") @Nullable String lastEventId,
                                  HttpRequest<?> request) {
        long from = lastEventId != null
                ? QueryParameters.longAtLeast("Last-Event-ID", lastEventId.strip(), 0, 0)
                : QueryParameters.longAtLeast("after", after, 0, 0);
        EventFilter filter = FeedFilters.of(category, request);
        if (!slots.tryAcquire()) {
            return ProblemResponses.of(HttpStatus.SERVICE_UNAVAILABLE, "too-many-streams", "Too many event streams",
                            "this instance serves at most " + settings.getMaxStreams() + " event streams at once; retry "
                                    + "after Retry-After seconds, or on another instance",
                            Map.of("maxStreams", settings.getMaxStreams()), request)
                    .header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return HttpResponse.ok(events(from, filter))
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
    }

    /**
     * The stream's messages, each produced when the client's transport asks for one, after a first
     * comment that sends the response's head at once; the slot is freed at the end.
     */
    private Flux<Event<String>> events(long after, EventFilter filter) {
        Duration heartbeat = settings.getHeartbeat();
        Flux<Event<String>> following = Flux.<Event<String>, FeedFollower>generate(
                        () -> {
                            FeedFollower follower = new FeedFollower(store, signal, after, filter, settings.getPageSize(),
                                    settings.getPollInterval());
                            followers.add(follower);
                            return follower;
                        },
                        (follower, sink) -> {
                            if (closing) {
                                sink.complete();
                                return follower;
                            }
                            try {
                                Optional<RecordedEvent> next = follower.next(heartbeat);
                                if (next.isEmpty() && closing) {
                                    sink.complete();
                                } else {
                                    sink.next(next.map(EventStreamController::message).orElseGet(EventStreamController::keepAlive));
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                sink.complete();
                            } catch (RuntimeException e) {
                                LOG.warn("event=event_stream_failed after={} error=\"{}\" effect=\"the stream ends; the "
                                        + "client resumes with Last-Event-ID\"", follower.position(), e.getMessage());
                                sink.error(e);
                            }
                            return follower;
                        },
                        followers::remove)
                .subscribeOn(scheduler);
        return Flux.concat(Flux.just(keepAlive()), following).doFinally(ended -> slots.release());
    }

    private static Event<String> keepAlive() {
        return Event.of("").comment("keep-alive");
    }

    private static Event<String> message(RecordedEvent event) {
        return Event.of(ApiJson.write(EventView.of(event))).id(Long.toString(event.position())).name(event.type());
    }

    /** Streams open now. */
    public int openStreams() {
        return settings.getMaxStreams() - slots.availablePermits();
    }

    /**
     * The service is shutting down: every stream ends after the message it is sending, or at once
     * if it is waiting for one, so that its client resumes elsewhere with Last-Event-ID and the
     * graceful shutdown need not wait its whole grace period for streams that never end by themselves.
     */
    @Override
    public CompletionStage<?> shutdownGracefully() {
        closing = true;
        followers.forEach(FeedFollower::cancel);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public OptionalLong reportActiveTasks() {
        return OptionalLong.of(openStreams());
    }

    @PreDestroy
    void stop() {
        scheduler.dispose();
        readers.shutdownNow();
    }
}
