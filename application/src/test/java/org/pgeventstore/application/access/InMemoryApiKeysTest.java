package org.pgeventstore.application.access;

import java.time.Clock;

class InMemoryApiKeysTest extends ApiKeysContract {

    private final InMemoryApiKeys keys = new InMemoryApiKeys(Clock.systemUTC());

    @Override
    protected ApiKeys keys() {
        return keys;
    }
}
