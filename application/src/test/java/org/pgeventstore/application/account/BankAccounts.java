package org.pgeventstore.application.account;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.pgeventstore.application.aggregate.AggregateLoader;
import org.pgeventstore.application.aggregate.AggregateType;
import org.pgeventstore.application.aggregate.CommandHeaders;
import org.pgeventstore.application.aggregate.CommandRunner;
import org.pgeventstore.application.aggregate.LoadTarget;
import org.pgeventstore.application.aggregate.Loaded;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.aggregate.Sleeper;
import org.pgeventstore.application.aggregate.VersionCondition;
import org.pgeventstore.application.eventstore.EventStore;
import org.pgeventstore.application.eventstore.StreamId;
import org.pgeventstore.application.snapshot.Snapshotting;

/**
 * The bank account's use cases: all an aggregate adds to the generic loader and runner is its
 * stream names, its refusals and how its idempotency keys derive event ids.
 */
public final class BankAccounts {

    public static final String CATEGORY = "account";

    static final AggregateType<AccountEvent, BankAccount> TYPE = new AggregateType<>(BankAccount.class,
            BankAccount.DECIDER, AccountEventCodec.create(), new AccountStateCodec());

    private static final CommandRunner.Refusals<AccountCommand> REFUSALS = new CommandRunner.Refusals<>() {
        @Override
        public RuntimeException staleVersion(AccountCommand command, VersionCondition condition, long actualVersion) {
            return new IllegalStateException("account " + command.accountId() + " is at version " + actualVersion
                    + ", the command expected " + condition);
        }

        @Override
        public RuntimeException keyReused(AccountCommand command, String earlierCommand) {
            return new IllegalArgumentException("the idempotency key was used for another request, by " + earlierCommand);
        }
    };

    private final AggregateLoader<AccountEvent, BankAccount> loader;
    private final CommandRunner<AccountCommand, AccountEvent, BankAccount> runner;

    public BankAccounts(EventStore store, Snapshotting snapshotting, RetryPolicy retryPolicy) {
        this.loader = new AggregateLoader<>(store, TYPE, AggregateLoader.DEFAULT_PAGE_SIZE, snapshotting);
        this.runner = new CommandRunner<>(store, loader, BankAccount.DECIDER, REFUSALS, UUID::randomUUID, retryPolicy,
                Sleeper.THREAD_SLEEP);
    }

    public static StreamId streamOf(String accountId) {
        return StreamId.of(CATEGORY + "-" + accountId);
    }

    /** Runs {@code command}; under {@code idempotencyKey}, a re-send returns the first run's outcome. */
    public CommandRunner.Outcome<BankAccount> handle(AccountCommand command, CommandHeaders headers,
                                                     Optional<String> idempotencyKey) {
        StreamId stream = streamOf(command.accountId());
        Optional<CommandRunner.Idempotency> idempotency = idempotencyKey.map(key -> new CommandRunner.Idempotency(
                sha256(key), sha256(canonical(command)), i -> eventId(stream, key, i)));
        return runner.run(new CommandRunner.Request<>(stream, command, command.name(), headers, idempotency));
    }

    public Loaded<BankAccount> current(String accountId) {
        Loaded<BankAccount> loaded = loader.load(streamOf(accountId), LoadTarget.CURRENT);
        loader.offerSnapshot(streamOf(accountId), loaded);
        return loaded;
    }

    public Loaded<BankAccount> atVersion(String accountId, long version) {
        return loader.load(streamOf(accountId), new LoadTarget.AtVersion(version));
    }

    public Loaded<BankAccount> asOf(String accountId, Instant instant) {
        return loader.load(streamOf(accountId), new LoadTarget.AsOf(instant));
    }

    private static UUID eventId(StreamId stream, String key, int index) {
        return UUID.nameUUIDFromBytes(("test/account-event-id/" + stream.value() + "/" + index + "/" + key).getBytes(UTF_8));
    }

    /** Equal for requests that ask the same thing: amounts by value, so 5 and 5.00 are one request. */
    private static String canonical(AccountCommand command) {
        return command.name() + "|" + command.accountId() + "|" + switch (command) {
            case AccountCommand.Open open -> open.holder();
            case AccountCommand.Deposit deposit -> deposit.amount().stripTrailingZeros().toPlainString();
            case AccountCommand.Withdraw withdraw -> withdraw.amount().stripTrailingZeros().toPlainString();
            case AccountCommand.Close close -> "";
        };
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Who asked, with no condition: all the runner needs of a request's headers. */
    public record Headers(String correlationId, String causationId, String userId, String onBehalfOf,
                          Optional<VersionCondition> condition) implements CommandHeaders {

        public static Headers of(String correlationId) {
            return new Headers(correlationId, null, null, null, Optional.empty());
        }
    }
}
