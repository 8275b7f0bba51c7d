package org.pgeventstore.adapters.postgres;

import org.pgeventstore.application.access.ApiKeys;
import org.pgeventstore.application.access.ApiKeysContract;

class PostgresApiKeysTest extends ApiKeysContract {

    private final PostgresApiKeys keys = new PostgresApiKeys(PostgresTestDatabase.shared().dataSource());

    @Override
    protected ApiKeys keys() {
        return keys;
    }
}
