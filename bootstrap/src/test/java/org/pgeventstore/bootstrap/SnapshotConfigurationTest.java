package org.pgeventstore.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.snapshot.SnapshotPolicy;

class SnapshotConfigurationTest {

    @Test
    @DisplayName("by default a snapshot every 100 events")
    void defaults() {
        assertThat(new SnapshotConfiguration().policy(null)).isEqualTo(SnapshotPolicy.everyEvents(100));
    }

    @Test
    @DisplayName("a category's settings override the general ones, and inherit what they leave unset")
    void perCategory() {
        var configuration = new SnapshotConfiguration();
        configuration.setAdaptiveMaxEvents(800);
        var order = new SnapshotConfiguration.Category("order");
        order.setPolicy("adaptive");
        order.setAdaptiveMinEvents(10L);
        var audit = new SnapshotConfiguration.Category("audit");
        audit.setPolicy("none");

        assertThat(configuration.policy(order)).isEqualTo(SnapshotPolicy.adaptive(10, 800, 1.0));
        assertThat(configuration.policy(audit)).isEqualTo(SnapshotPolicy.never());
    }

    @Test
    @DisplayName("an unknown policy name is refused, naming the setting")
    void unknownPolicy() {
        var configuration = new SnapshotConfiguration();
        var order = new SnapshotConfiguration.Category("order");
        order.setPolicy("sometimes");

        assertThatThrownBy(() -> configuration.policy(order)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventstore.snapshots.categories.order.policy");
    }
}
