package org.pgeventstore.application.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.pgeventstore.application.aggregate.StateCodec;
import org.pgeventstore.application.snapshot.Snapshot;
import org.pgeventstore.application.snapshot.UnreadableSnapshot;

/** An account's snapshot, the UTF-8 of a JSON object {@code {"id", "status", "holder", "balance"}}, schema version {@value #SCHEMA_VERSION}. */
public final class AccountStateCodec implements StateCodec<BankAccount> {

    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public int schemaVersion() {
        return SCHEMA_VERSION;
    }

    @Override
    public byte[] encode(BankAccount state) {
        return MAPPER.createObjectNode().put("id", state.id()).put("status", state.status().name())
                .put("holder", state.holder()).put("balance", state.balance().toPlainString()).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public BankAccount decode(Snapshot snapshot) {
        try {
            JsonNode json = MAPPER.readTree(snapshot.state());
            BankAccount account = new BankAccount(json.get("id").textValue(),
                    BankAccount.Status.valueOf(json.get("status").textValue()), json.get("holder").textValue(),
                    new BigDecimal(json.get("balance").textValue()).setScale(2));
            // A snapshot filed under another stream must never be taken for this account.
            if (!BankAccounts.streamOf(account.id()).equals(snapshot.stream())) {
                throw new UnreadableSnapshot("snapshot of " + snapshot.stream() + " holds account " + account.id(), null);
            }
            return account;
        } catch (IOException | RuntimeException unreadable) {
            throw new UnreadableSnapshot("snapshot of " + snapshot.stream() + " does not decode: " + unreadable, unreadable);
        }
    }
}
