package org.pgeventstore.application.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import org.pgeventstore.application.account.AccountEvent.AccountClosed;
import org.pgeventstore.application.account.AccountEvent.AccountOpened;
import org.pgeventstore.application.account.AccountEvent.MoneyDeposited;
import org.pgeventstore.application.account.AccountEvent.MoneyWithdrawn;
import org.pgeventstore.application.aggregate.JsonEventCodec;

/**
 * How account events are stored. {@code MoneyDeposited} is at schema version 2: version 1 stored
 * the amount as whole cents ({@code {"accountId", "cents": 1250}}), and was written under the
 * type name {@code Deposited}. Both are still read: the upcaster turns cents into the decimal
 * {@code amount}, the alias reads the old name as the new one.
 */
public final class AccountEventCodec {

    private AccountEventCodec() {
    }

    public static JsonEventCodec<AccountEvent> create() {
        return JsonEventCodec.<AccountEvent>builder(event -> event.getClass().getSimpleName(), AccountEventCodec::write)
                .type("AccountOpened", 1, data -> new AccountOpened(text(data, "accountId"), text(data, "holder")))
                .type("MoneyDeposited", 2, data -> new MoneyDeposited(text(data, "accountId"), amount(data, "amount")))
                .upcast("MoneyDeposited", 1, AccountEventCodec::depositV1ToV2)
                .alias("Deposited", "MoneyDeposited")
                .type("MoneyWithdrawn", 1, data -> new MoneyWithdrawn(text(data, "accountId"), amount(data, "amount")))
                .type("AccountClosed", 1, data -> new AccountClosed(text(data, "accountId"), amount(data, "payout")))
                .build();
    }

    private static ObjectNode write(AccountEvent event) {
        ObjectNode data = JsonEventCodec.object().put("accountId", event.accountId());
        // No default branch: a new event type fails compilation here until it has a shape.
        return switch (event) {
            case AccountOpened opened -> data.put("holder", opened.holder());
            case MoneyDeposited deposited -> data.put("amount", deposited.amount().toPlainString());
            case MoneyWithdrawn withdrawn -> data.put("amount", withdrawn.amount().toPlainString());
            case AccountClosed closed -> data.put("payout", closed.payout().toPlainString());
        };
    }

    /** Version 1 stored whole cents; version 2 a decimal text with two places. */
    private static ObjectNode depositV1ToV2(ObjectNode v1) {
        ObjectNode v2 = JsonEventCodec.object().put("accountId", v1.path("accountId").asText());
        long cents = v1.path("cents").longValue();
        return v2.put("amount", BigDecimal.valueOf(cents, 2).toPlainString());
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field " + field + " is missing or not text");
        }
        return value.textValue();
    }

    private static BigDecimal amount(JsonNode data, String field) {
        return new BigDecimal(text(data, field)).setScale(2);
    }
}
