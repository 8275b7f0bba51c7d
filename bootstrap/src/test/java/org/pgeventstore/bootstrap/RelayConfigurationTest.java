package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RelayConfigurationTest {

    @Test
    @DisplayName("by default the relay publishes under the prefix the HTTP contract names, events, to a stream EVENTS")
    void contractDefaults() {
        var configuration = new RelayConfiguration();
        configuration.setUrl("nats://127.0.0.1:4222");
        var settings = configuration.jetStream();
        assertThat(settings.subjectPrefix()).isEqualTo("events");
        assertThat(settings.streamName()).isEqualTo("EVENTS");
    }
}
