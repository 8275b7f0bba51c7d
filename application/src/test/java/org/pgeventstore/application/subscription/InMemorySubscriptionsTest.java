package org.pgeventstore.application.subscription;

class InMemorySubscriptionsTest extends SubscriptionsContract {

    private final InMemorySubscriptions subscriptions = new InMemorySubscriptions();

    @Override
    protected Subscriptions subscriptions() {
        return subscriptions;
    }
}
