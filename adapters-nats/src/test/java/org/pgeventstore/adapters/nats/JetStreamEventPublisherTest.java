package org.pgeventstore.adapters.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.relay.PublishFailed;
import org.pgeventstore.application.relay.RelayMessage;
import org.pgeventstore.application.relay.RelayMessages;

/** The publisher against a real NATS server with JetStream ({@link NatsTestServer}). */
class JetStreamEventPublisherTest {

    private String url;
    private JetStreamSettings settings;
    private JetStreamEventPublisher publisher;
    private RelayMessages messages;

    @BeforeEach
    void setUp() {
        url = NatsTestServer.url();
        settings = NatsTestServer.uniqueStream(url, "publisher");
        publisher = new JetStreamEventPublisher(settings);
        messages = new RelayMessages(settings.subjectPrefix());
    }

    @AfterEach
    void tearDown() {
        if (publisher != null) {
            publisher.close();
            NatsTestServer.deleteStream(url, settings.streamName());
        }
    }

    private List<RelayMessage> events(int count, long firstPosition) {
        List<RelayMessage> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long position = firstPosition + i;
            batch.add(messages.of(new RecordedEvent(UUID.randomUUID(), "order-" + (i % 2), "v1.OrderNoted", i + 1,
                    position, "{\"n\": " + position + "}", "{\"correlationId\": \"c-" + position + "\"}",
                    Instant.parse("2026-12-02T10:00:00Z"))));
        }
        return batch;
    }

    private List<String> storedIds() throws Exception {
        return NatsTestServer.messages(url, settings.streamName()).stream()
                .map(message -> message.getHeaders().getFirst("Nats-Msg-Id")).toList();
    }

    @Test
    @DisplayName("the first batch creates the stream on <prefix>.>, with the configured window and storage; "
            + "messages carry subject, headers and body")
    void createsTheStreamAndPublishes() throws Exception {
        List<RelayMessage> batch = events(5, 10);

        assertThat(publisher.publish(batch)).isZero();

        StreamConfiguration config = NatsTestServer.streamInfo(url, settings.streamName()).getConfiguration();
        assertThat(config.getSubjects()).containsExactly(settings.subjectPrefix() + ".>");
        assertThat(config.getDuplicateWindow()).isEqualTo(settings.duplicateWindow());
        assertThat(config.getStorageType()).isEqualTo(StorageType.File);
        List<MessageInfo> stored = NatsTestServer.messages(url, settings.streamName());
        assertThat(stored).hasSize(5);
        MessageInfo first = stored.getFirst();
        assertThat(first.getSubject()).isEqualTo(settings.subjectPrefix() + ".order.v1_OrderNoted");
        assertThat(first.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(batch.getFirst().messageId());
        assertThat(first.getHeaders().getFirst(RelayMessages.POSITION)).isEqualTo("10");
        assertThat(first.getHeaders().getFirst(RelayMessages.CORRELATION_ID)).isEqualTo("c-10");
        assertThat(new String(first.getData(), StandardCharsets.UTF_8)).isEqualTo(new String(batch.getFirst().body(),
                StandardCharsets.UTF_8));
        assertThat(storedIds()).isEqualTo(batch.stream().map(RelayMessage::messageId).toList());
    }

    @Test
    @DisplayName("a batch sent again after part of it was stored stores the rest, once each and in order")
    void retriedBatchStoresEachMessageOnce() throws Exception {
        List<RelayMessage> batch = events(6, 1);
        publisher.publish(batch.subList(0, 2));

        assertThat(publisher.publish(batch)).as("the two already stored are duplicates").isEqualTo(2);
        assertThat(publisher.publish(batch)).isEqualTo(6);

        assertThat(storedIds()).isEqualTo(batch.stream().map(RelayMessage::messageId).toList());
    }

    @Test
    @DisplayName("a message whose predecessor in the batch is not the stream's last is refused, not stored out of order")
    void refusesAMessageAheadOfItsPredecessor() throws Exception {
        List<RelayMessage> batch = events(3, 1);
        publisher.publish(batch);
        RelayMessage later = events(1, 4).getFirst();

        // The first message is a duplicate, but the stream's last is the third: the next one must not land.
        assertThatThrownBy(() -> publisher.publish(List.of(batch.getFirst(), later)))
                .isInstanceOf(PublishFailed.class).hasMessageContaining("message 2 of 2");

        assertThat(storedIds()).isEqualTo(batch.stream().map(RelayMessage::messageId).toList());
    }

    @Test
    @DisplayName("without a stream and with creating one turned off, a batch fails saying what to do")
    void noStreamAndNoCreation() {
        publisher.close();
        publisher = new JetStreamEventPublisher(new JetStreamSettings(url, settings.subjectPrefix(),
                settings.streamName(), false, Duration.ofMinutes(1), JetStreamSettings.Storage.MEMORY,
                Duration.ofSeconds(5), Duration.ofSeconds(2)));

        assertThatThrownBy(() -> publisher.publish(events(1, 1))).isInstanceOf(PublishFailed.class)
                .hasMessageContaining("no JetStream stream captures " + settings.subjectPrefix() + ".>")
                .hasMessageContaining("eventstore.nats.create-stream");
    }

    @Test
    @DisplayName("a server that does not answer fails the batch; credentials never show in the target")
    void unreachableServer() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (var away = new JetStreamEventPublisher(JetStreamSettings.defaults("nats://relay:secret@127.0.0.1:" + closedPort))) {
            assertThat(away.target()).isEqualTo("nats://127.0.0.1:" + closedPort + " stream EVENTS");
            assertThatThrownBy(() -> away.publish(events(1, 1))).isInstanceOf(PublishFailed.class)
                    .hasMessageContaining("could not reach JetStream").hasMessageNotContaining("secret");
        }
    }
}
