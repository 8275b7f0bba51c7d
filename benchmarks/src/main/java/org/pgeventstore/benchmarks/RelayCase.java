package org.pgeventstore.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.pgeventstore.adapters.nats.JetStreamEventPublisher;
import org.pgeventstore.adapters.nats.JetStreamSettings;
import org.pgeventstore.adapters.postgres.PostgresEventStore;
import org.pgeventstore.adapters.postgres.projection.PostgresFeedBacklog;
import org.pgeventstore.adapters.postgres.projection.PostgresProjectionCheckpoints;
import org.pgeventstore.adapters.postgres.relay.PostgresRelayCheckpoint;
import org.pgeventstore.application.feed.AppendSignal;
import org.pgeventstore.application.order.OrderEventRegistry;
import org.pgeventstore.application.projection.ProjectionLeases;
import org.pgeventstore.application.relay.EventRelay;
import org.pgeventstore.application.relay.RelayMessages;
import org.pgeventstore.application.relay.RelaySettings;

/**
 * The relay to NATS JetStream as the service runs it ({@link EventRelay} over
 * {@link JetStreamEventPublisher}, its checkpoint in PostgreSQL, batches of {@value #BATCH}), on a
 * stream of its own (file storage, deleted afterwards), against the NATS server at
 * {@code EVENTSTORE_BENCH_NATS_URL} (default {@code nats://127.0.0.1:4222}, with JetStream).
 *
 * <p>Appends a known number of orders, then times {@link EventRelay#catchUp} from the feed's head
 * before them: read the feed, publish each batch with async publish, wait for every ack, move the
 * checkpoint. The figure counts the events JetStream acknowledged, and the run fails unless the
 * stream then holds exactly the events appended. The baseline is the raw feed read
 * ({@link FeedReadCase#RAW_ID}) of the same run, which the relay has to do first.
 */
final class RelayCase implements BenchmarkCase {

    static final String ID = "relay.nats.catch-up";
    static final String URL_VARIABLE = "EVENTSTORE_BENCH_NATS_URL";
    static final int BATCH = 1_000;
    private static final String NAME = "bench-relay";
    private static final String TITLE = "relay catch-up to NATS JetStream";

    @Override
    public String name() {
        return "relay catch-up to NATS JetStream";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        String url = System.getenv().getOrDefault(URL_VARIABLE, "nats://127.0.0.1:4222");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JetStreamSettings settings = JetStreamSettings.defaults(url).withStream("bench.relay." + suffix,
                "BENCH_RELAY_" + suffix);
        try (Connection admin = connect(url)) {
            if (admin == null) {
                return List.of(Figure.failed(ID, "relay", TITLE, "events/s", null, "no NATS server answers at " + url
                        + ": start one with JetStream (nats-server -js) or set " + URL_VARIABLE));
            }
            int orders = context.plan().isQuick() ? 2_000 : 10_000;
            try (HikariDataSource pool = context.database().pool("relay", 12);
                 JetStreamEventPublisher publisher = new JetStreamEventPublisher(settings)) {
                try {
                    return List.of(measure(context, pool, publisher, settings, admin, orders));
                } finally {
                    PostgresProjectionCheckpoints.reset(pool, NAME);
                    deleteStream(admin, settings.streamName());
                }
            }
        }
    }

    private static Figure measure(BenchmarkContext context, HikariDataSource pool, JetStreamEventPublisher publisher,
                                  JetStreamSettings settings, Connection admin, int orders) throws Exception {
        PostgresEventStore store = new PostgresEventStore(pool);
        long from = ProjectionCase.headPosition(pool);
        long appended = ProjectionCase.fill(store, new OrderEventRegistry(), orders);
        BenchmarkDatabase.settle(pool);
        PostgresProjectionCheckpoints.reset(pool, NAME);
        PostgresRelayCheckpoint checkpoint = new PostgresRelayCheckpoint(pool, NAME);
        checkpoint.moveTo(0, from);
        EventRelay relay = new EventRelay(checkpoint, store, publisher, new RelayMessages(settings.subjectPrefix()),
                RelaySettings.DEFAULT.withBatchSize(BATCH), ProjectionLeases.UNCONTENDED, new AppendSignal(),
                new PostgresFeedBacklog(pool), publisher.target());
        long begin = System.nanoTime();
        long published = relay.catchUp();
        long took = System.nanoTime() - begin;
        long stored = admin.jetStreamManagement().getStreamInfo(settings.streamName()).getStreamState().getMsgCount();
        if (published != appended || stored != appended) {
            throw new IllegalStateException("the relay published " + published + " events and the stream holds "
                    + stored + "; " + appended + " were appended");
        }
        Histogram once = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        once.recordValue(took);
        Measurement catchUp = new Measurement(1, took / 1e9, 1, published, 0, null, once);
        return Figure.measured(ID, "relay", TITLE, "events/s", "whole catch-up", catchUp,
                context.figure(FeedReadCase.RAW_ID).orElse(null), null,
                Numbers.count(published) + " events of " + Numbers.count(orders) + " orders, batches of " + BATCH
                        + " (async publish, all acks, then the checkpoint), file storage, one run");
    }

    private static Connection connect(String url) throws InterruptedException {
        try {
            return Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(2)).build());
        } catch (IOException unreachable) {
            return null;
        }
    }

    private static void deleteStream(Connection admin, String stream) throws IOException {
        if (admin == null) {
            return;
        }
        try {
            admin.jetStreamManagement().deleteStream(stream);
        } catch (JetStreamApiException notCreated) {
            // The run failed before the stream was created.
        }
    }
}
