package org.pgeventstore.adapters.postgres.subscription;

import org.pgeventstore.adapters.postgres.PostgresTestDatabase;
import org.pgeventstore.application.subscription.Subscriptions;
import org.pgeventstore.application.subscription.SubscriptionsContract;

class PostgresSubscriptionsContractTest extends SubscriptionsContract {

    private final PostgresSubscriptions subscriptions = new PostgresSubscriptions(PostgresTestDatabase.shared().dataSource());

    @Override
    protected Subscriptions subscriptions() {
        return subscriptions;
    }
}
