package org.pgeventstore.application.subscription;

/** What the consumer groups report for monitoring. */
public interface SubscriptionMetrics {

    SubscriptionMetrics NONE = new SubscriptionMetrics() {
        @Override
        public void delivered(String subscription, int events) {
        }

        @Override
        public void acknowledged(String subscription, int member, long position) {
        }
    };

    /** A poll handed out {@code events} events of {@code subscription}. */
    void delivered(String subscription, int events);

    /** A member's checkpoint moved to {@code position}. */
    void acknowledged(String subscription, int member, long position);
}
