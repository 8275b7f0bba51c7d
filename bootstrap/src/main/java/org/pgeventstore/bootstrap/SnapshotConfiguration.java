package org.pgeventstore.bootstrap;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import java.util.Locale;
import org.pgeventstore.application.snapshot.SnapshotPolicy;

/**
 * Snapshots, under {@code eventstore.snapshots}: whether loads use them, the policy that decides
 * when to take one (for every category, and per category under {@code categories.<name>}), how
 * many to keep per stream and how many may wait to be written. See
 * {@code docs/adr/0004-snapshot-policy.md}.
 */
@ConfigurationProperties("eventstore.snapshots")
public class SnapshotConfiguration {

    private boolean enabled = true;
    private String policy = "every-n";
    private long everyN = 100;
    private long adaptiveMinEvents = 20;
    private long adaptiveMaxEvents = 500;
    private double adaptiveHalfRate = 1.0;
    private int keepPerStream = 3;
    private int queueCapacity = 1_000;
    private int recentStates = 1_000;

    /** The policy these settings describe, or a category's settings on top of them. */
    SnapshotPolicy policy(@Nullable Category category) {
        String name = category == null || category.getPolicy() == null ? policy : category.getPolicy();
        long n = category == null || category.getEveryN() == null ? everyN : category.getEveryN();
        long min = category == null || category.getAdaptiveMinEvents() == null ? adaptiveMinEvents : category.getAdaptiveMinEvents();
        long max = category == null || category.getAdaptiveMaxEvents() == null ? adaptiveMaxEvents : category.getAdaptiveMaxEvents();
        double halfRate = category == null || category.getAdaptiveHalfRate() == null ? adaptiveHalfRate : category.getAdaptiveHalfRate();
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "every-n" -> SnapshotPolicy.everyEvents(n);
            case "adaptive" -> SnapshotPolicy.adaptive(min, max, halfRate);
            case "none" -> SnapshotPolicy.never();
            default -> throw new IllegalArgumentException("eventstore.snapshots" + (category == null ? "" : ".categories."
                    + category.getName()) + ".policy must be every-n, adaptive or none, not " + name);
        };
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPolicy() {
        return policy;
    }

    public void setPolicy(String policy) {
        this.policy = policy;
    }

    public long getEveryN() {
        return everyN;
    }

    public void setEveryN(long everyN) {
        this.everyN = everyN;
    }

    public long getAdaptiveMinEvents() {
        return adaptiveMinEvents;
    }

    public void setAdaptiveMinEvents(long adaptiveMinEvents) {
        this.adaptiveMinEvents = adaptiveMinEvents;
    }

    public long getAdaptiveMaxEvents() {
        return adaptiveMaxEvents;
    }

    public void setAdaptiveMaxEvents(long adaptiveMaxEvents) {
        this.adaptiveMaxEvents = adaptiveMaxEvents;
    }

    public double getAdaptiveHalfRate() {
        return adaptiveHalfRate;
    }

    public void setAdaptiveHalfRate(double adaptiveHalfRate) {
        this.adaptiveHalfRate = adaptiveHalfRate;
    }

    public int getKeepPerStream() {
        return keepPerStream;
    }

    public void setKeepPerStream(int keepPerStream) {
        this.keepPerStream = keepPerStream;
    }

    /** Streams whose latest rebuilt state this instance keeps in memory; 0 keeps none. */
    public int getRecentStates() {
        return recentStates;
    }

    public void setRecentStates(int recentStates) {
        if (recentStates < 0) {
            throw new IllegalArgumentException("eventstore.snapshots.recent-states must not be negative, was " + recentStates);
        }
        this.recentStates = recentStates;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    /** One category's policy settings, under {@code eventstore.snapshots.categories.<category>}; unset ones are inherited. */
    @EachProperty("categories")
    public static class Category {

        private final String name;
        private String policy;
        private Long everyN;
        private Long adaptiveMinEvents;
        private Long adaptiveMaxEvents;
        private Double adaptiveHalfRate;

        public Category(@Parameter String name) {
            this.name = name;
        }

        public String getName() {
            return name;
        }

        public String getPolicy() {
            return policy;
        }

        public void setPolicy(String policy) {
            this.policy = policy;
        }

        public Long getEveryN() {
            return everyN;
        }

        public void setEveryN(Long everyN) {
            this.everyN = everyN;
        }

        public Long getAdaptiveMinEvents() {
            return adaptiveMinEvents;
        }

        public void setAdaptiveMinEvents(Long adaptiveMinEvents) {
            this.adaptiveMinEvents = adaptiveMinEvents;
        }

        public Long getAdaptiveMaxEvents() {
            return adaptiveMaxEvents;
        }

        public void setAdaptiveMaxEvents(Long adaptiveMaxEvents) {
            this.adaptiveMaxEvents = adaptiveMaxEvents;
        }

        public Double getAdaptiveHalfRate() {
            return adaptiveHalfRate;
        }

        public void setAdaptiveHalfRate(Double adaptiveHalfRate) {
            this.adaptiveHalfRate = adaptiveHalfRate;
        }
    }
}
