package org.pgeventstore.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pgeventstore.application.account.AccountCommand.Deposit;
import org.pgeventstore.application.account.AccountCommand.Open;
import org.pgeventstore.application.account.AccountCommand.Withdraw;
import org.pgeventstore.application.account.AccountRejection;
import org.pgeventstore.application.account.AccountStateCodec;
import org.pgeventstore.application.account.BankAccount;
import org.pgeventstore.application.account.BankAccounts;
import org.pgeventstore.application.aggregate.CommandRunner;
import org.pgeventstore.application.aggregate.Loaded;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.eventstore.RecordedEvent;
import org.pgeventstore.application.snapshot.RecentStates;
import org.pgeventstore.application.snapshot.SnapshotMetrics;
import org.pgeventstore.application.snapshot.SnapshotPolicy;
import org.pgeventstore.application.snapshot.SnapshotWriter;
import org.pgeventstore.application.snapshot.Snapshotting;

/**
 * The test aggregate, a bank account, through the generic loader and runner on PostgreSQL: the
 * seam holds for an aggregate other than orders, with nothing of its code written for accounts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("a bank account on PostgreSQL, through the generic aggregate loader and command runner")
class BankAccountOnPostgresTest {

    private static final BankAccounts.Headers HEADERS = BankAccounts.Headers.of("corr-account");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ScratchDatabase database;
    private HikariDataSource pool;
    private PostgresEventStore events;
    private PostgresSnapshotStore snapshots;

    @BeforeAll
    void start() {
        database = ScratchDatabase.create("bank_account");
        pool = database.newPool(12);
        events = new PostgresEventStore(pool);
        snapshots = new PostgresSnapshotStore(pool);
    }

    @AfterAll
    void stop() {
        pool.close();
        database.close();
    }

    private BankAccounts replaying() {
        return new BankAccounts(events, Snapshotting.off(), RetryPolicy.DEFAULT);
    }

    private String openAccount(BankAccounts accounts) {
        String id = UUID.randomUUID().toString();
        accounts.handle(new Open(id, "Ada"), HEADERS, Optional.empty());
        return id;
    }

    private static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }

    @RepeatedTest(3)
    @DisplayName("deposits sent at once from many threads are all kept: none is lost to a race")
    void concurrentDeposits() throws Exception {
        // Enough attempts that every thread wins in the end, however the races fall.
        BankAccounts accounts = new BankAccounts(events, Snapshotting.off(),
                new RetryPolicy(100, Duration.ofMillis(1), Duration.ofMillis(20)));
        String id = openAccount(accounts);
        int threads = 8;
        int depositsEach = 5;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < depositsEach; i++) {
                        // Distinct amounts, so the sum would show which deposit went missing.
                        accounts.handle(new Deposit(id, BigDecimal.valueOf(thread * 100 + i + 1, 2)), HEADERS,
                                Optional.empty());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> each : done) {
                each.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        BigDecimal expected = BigDecimal.ZERO.setScale(2);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < depositsEach; i++) {
                expected = expected.add(BigDecimal.valueOf(t * 100 + i + 1, 2));
            }
        }
        Loaded<BankAccount> loaded = replaying().current(id);
        assertThat(loaded.version()).isEqualTo(1 + threads * depositsEach);
        assertThat(loaded.state().balance()).isEqualByComparingTo(expected);
    }

    @Test
    @DisplayName("loads at a version and as of an instant fold only the events up to it")
    void atVersionAndAsOf() throws InterruptedException {
        BankAccounts accounts = replaying();
        String id = openAccount(accounts);
        accounts.handle(new Deposit(id, money("10.00")), HEADERS, Optional.empty());
        RecordedEvent second = events.read(BankAccounts.streamOf(id), 2, 1).events().getFirst();
        Thread.sleep(5);
        accounts.handle(new Deposit(id, money("20.00")), HEADERS, Optional.empty());
        accounts.handle(new Withdraw(id, money("5.00")), HEADERS, Optional.empty());

        assertThat(accounts.atVersion(id, 2).state().balance()).isEqualByComparingTo("10.00");
        assertThat(accounts.atVersion(id, 3).state().balance()).isEqualByComparingTo("30.00");
        Loaded<BankAccount> then = accounts.asOf(id, second.occurredAt());
        assertThat(then.version()).isEqualTo(2);
        assertThat(then.state().balance()).isEqualByComparingTo("10.00");
        assertThat(accounts.current(id).state().balance()).isEqualByComparingTo("25.00");
    }

    @Test
    @DisplayName("commands take snapshots, and a load starts from the latest and folds only the events after it")
    void snapshots() {
        SnapshotWriter writer = new SnapshotWriter(events, snapshots, SnapshotPolicy.everyEvents(5),
                new SnapshotMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), 100, 3);
        try {
            BankAccounts writing = new BankAccounts(events, Snapshotting.on(writer), RetryPolicy.DEFAULT);
            String id = openAccount(writing);
            for (int i = 0; i < 12; i++) {
                writing.handle(new Deposit(id, money("1.00")), HEADERS, Optional.empty());
                assertThat(writer.awaitIdle(WAIT)).isTrue();
            }
            assertThat(snapshots.latest(BankAccounts.streamOf(id), AccountStateCodec.SCHEMA_VERSION, Long.MAX_VALUE))
                    .hasValueSatisfying(snapshot -> assertThat(snapshot.version()).isEqualTo(10));

            BankAccounts reading = new BankAccounts(events, Snapshotting.on(writer, new RecentStates(10)),
                    RetryPolicy.DEFAULT);
            Loaded<BankAccount> fromSnapshot = reading.current(id);
            assertThat(fromSnapshot.snapshotVersion()).isEqualTo(10);
            assertThat(fromSnapshot.replayed()).isEqualTo(3);
            assertThat(fromSnapshot.state()).isEqualTo(replaying().current(id).state());
            assertThat(fromSnapshot.state().balance()).isEqualByComparingTo("12.00");
            assertThat(reading.atVersion(id, 7).state().balance()).as("from the snapshot at 5")
                    .isEqualByComparingTo("6.00");
        } finally {
            writer.close();
        }
    }

    @Test
    @DisplayName("a command re-sent under its idempotency key appends nothing and returns the first outcome")
    void idempotentResend() {
        BankAccounts accounts = replaying();
        String id = openAccount(accounts);
        CommandRunner.Outcome<BankAccount> first = accounts.handle(new Deposit(id, money("7.00")), HEADERS,
                Optional.of("deposit-1"));
        accounts.handle(new Deposit(id, money("1.00")), HEADERS, Optional.empty());

        CommandRunner.Outcome<BankAccount> again = accounts.handle(new Deposit(id, money("7")), HEADERS,
                Optional.of("deposit-1"));

        assertThat(again.appended().replayed()).isTrue();
        assertThat(again.version()).isEqualTo(first.version()).isEqualTo(2);
        assertThat(again.state()).isEqualTo(first.state());
        assertThat(events.currentVersion(BankAccounts.streamOf(id))).isEqualTo(3);
        assertThat(accounts.current(id).state().balance()).isEqualByComparingTo("8.00");
        assertThatThrownBy(() -> accounts.handle(new Deposit(id, money("9.00")), HEADERS, Optional.of("deposit-1")))
                .as("the same key for another request").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Deposit");
    }

    @Test
    @DisplayName("a withdrawal beyond the balance is refused and stores nothing")
    void insufficientFunds() {
        BankAccounts accounts = replaying();
        String id = openAccount(accounts);
        accounts.handle(new Deposit(id, money("3.00")), HEADERS, Optional.empty());

        assertThatThrownBy(() -> accounts.handle(new Withdraw(id, money("3.01")), HEADERS, Optional.empty()))
                .isInstanceOf(AccountRejection.InsufficientFunds.class);
        assertThat(events.currentVersion(BankAccounts.streamOf(id))).isEqualTo(2);
    }

    @Test
    @DisplayName("a v1 deposit stored in PostgreSQL under its old type name is upcast when the account loads")
    void upcastFromPostgres() {
        BankAccounts accounts = replaying();
        String id = openAccount(accounts);
        events.append(BankAccounts.streamOf(id), ExpectedVersion.exactly(1), List.of(new NewEvent(UUID.randomUUID(),
                "Deposited", 1, "{\"accountId\": \"" + id + "\", \"cents\": 1250}", "{}")));

        assertThat(accounts.current(id).state().balance()).isEqualByComparingTo("12.50");
        accounts.handle(new Withdraw(id, money("12.50")), HEADERS, Optional.empty());
        assertThat(accounts.current(id).state().balance()).isEqualByComparingTo("0.00");
    }
}
