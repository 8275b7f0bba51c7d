package org.pgeventstore.application.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pgeventstore.application.account.AccountCommand.Close;
import org.pgeventstore.application.account.AccountCommand.Deposit;
import org.pgeventstore.application.account.AccountCommand.Open;
import org.pgeventstore.application.account.AccountCommand.Withdraw;
import org.pgeventstore.application.account.AccountEvent.MoneyDeposited;
import org.pgeventstore.application.aggregate.RetryPolicy;
import org.pgeventstore.application.aggregate.UnreadableEvent;
import org.pgeventstore.application.eventstore.ExpectedVersion;
import org.pgeventstore.application.eventstore.InMemoryEventStore;
import org.pgeventstore.application.eventstore.NewEvent;
import org.pgeventstore.application.snapshot.Snapshotting;

/** The bank account through the generic loader and runner, on the in-memory store. */
@DisplayName("a bank account, the second aggregate on the generic seam")
class BankAccountTest {

    private static final BankAccounts.Headers HEADERS = BankAccounts.Headers.of("corr-1");

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final BankAccounts accounts = new BankAccounts(store, Snapshotting.off(), RetryPolicy.DEFAULT);
    private final String id = UUID.randomUUID().toString();

    private BankAccount run(AccountCommand command) {
        return accounts.handle(command, HEADERS, Optional.empty()).state();
    }

    @Nested
    @DisplayName("commands")
    class Commands {

        @Test
        @DisplayName("open, deposit, withdraw and close fold to the balance the events record")
        void lifecycle() {
            run(new Open(id, "Ada"));
            run(new Deposit(id, new BigDecimal("100")));
            BankAccount afterWithdrawal = run(new Withdraw(id, new BigDecimal("30.50")));
            assertThat(afterWithdrawal.balance()).isEqualByComparingTo("69.50");

            BankAccount closed = run(new Close(id));
            assertThat(closed.status()).isEqualTo(BankAccount.Status.CLOSED);
            assertThat(accounts.current(id).state()).isEqualTo(closed);
            assertThat(accounts.current(id).version()).isEqualTo(4);
            assertThat(store.read(BankAccounts.streamOf(id), 4, 1).events().getFirst().type()).isEqualTo("AccountClosed");
        }

        @Test
        @DisplayName("a withdrawal beyond the balance is refused and appends nothing")
        void insufficientFunds() {
            run(new Open(id, "Ada"));
            run(new Deposit(id, new BigDecimal("10.00")));

            assertThatThrownBy(() -> run(new Withdraw(id, new BigDecimal("10.01"))))
                    .isInstanceOf(AccountRejection.InsufficientFunds.class);
            assertThat(store.currentVersion(BankAccounts.streamOf(id))).isEqualTo(2);
        }

        @Test
        @DisplayName("an account is opened once, and a closed one takes no deposit")
        void lifecycleRules() {
            run(new Open(id, "Ada"));
            assertThatThrownBy(() -> run(new Open(id, "Bob"))).isInstanceOf(AccountRejection.NotOpen.class);
            run(new Close(id));
            assertThatThrownBy(() -> run(new Deposit(id, BigDecimal.ONE))).isInstanceOf(AccountRejection.NotOpen.class);
            assertThat(store.currentVersion(BankAccounts.streamOf(id))).isEqualTo(2);
        }
    }

    @Nested
    @DisplayName("stored shapes")
    class StoredShapes {

        @Test
        @DisplayName("a v1 deposit in cents, stored under its old type name, is read as today's MoneyDeposited")
        void upcastAndAlias() {
            run(new Open(id, "Ada"));
            store.append(BankAccounts.streamOf(id), ExpectedVersion.exactly(1), java.util.List.of(new NewEvent(
                    UUID.randomUUID(), "Deposited", 1, "{\"accountId\":\"" + id + "\",\"cents\":1250}", "{}")));

            assertThat(accounts.current(id).state().balance()).isEqualByComparingTo("12.50");
            assertThat(AccountEventCodec.create().decode(store.read(BankAccounts.streamOf(id), 2, 1).events().getFirst()))
                    .isEqualTo(new MoneyDeposited(id, new BigDecimal("12.50")));
        }

        @Test
        @DisplayName("an event that cannot follow the ones before it makes the stream unreadable, naming it")
        void eventThatCannotFollow() {
            store.append(BankAccounts.streamOf(id), ExpectedVersion.NO_STREAM, java.util.List.of(new NewEvent(
                    UUID.randomUUID(), "MoneyWithdrawn", 1, "{\"accountId\":\"" + id + "\",\"amount\":\"1.00\"}", "{}")));

            assertThatThrownBy(() -> accounts.current(id)).isInstanceOf(UnreadableEvent.class)
                    .hasMessageContaining("MoneyWithdrawn").hasMessageContaining("cannot follow an account unopened");
        }

        @Test
        @DisplayName("a schema version the codec does not know is unreadable, not mis-read")
        void unknownVersion() {
            store.append(BankAccounts.streamOf(id), ExpectedVersion.NO_STREAM, java.util.List.of(new NewEvent(
                    UUID.randomUUID(), "AccountOpened", 2, "{\"accountId\":\"" + id + "\",\"holder\":\"Ada\"}", "{}")));

            assertThatThrownBy(() -> accounts.current(id)).isInstanceOf(UnreadableEvent.class)
                    .hasMessageContaining("schema version 2");
        }
    }
}
