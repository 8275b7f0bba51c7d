package org.pgeventstore.bootstrap;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.pgeventstore.adapters.http.ApiJson;
import org.pgeventstore.application.access.ApiKey;
import org.pgeventstore.application.access.ApiKeyService;
import org.pgeventstore.application.access.InvalidKeyRequest;
import org.pgeventstore.application.access.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code admin keys create|list|revoke}: the API keys of {@code /api/admin/keys}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Creates, lists and revokes API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public class KeysCommand {

    /** Who the keys' records say created or revoked them. */
    static final String PRINCIPAL = "admin command line";

    static Map<String, Object> view(ApiKey key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", key.id());
        view.put("name", key.name());
        view.put("roles", key.roles().stream().map(Role::inWords).sorted().toList());
        view.put("categories", key.categories().map(categories -> new TreeSet<>(categories)).orElse(null));
        view.put("createdAt", key.createdAt());
        view.put("createdBy", key.createdBy());
        view.put("revokedAt", key.revokedAt().orElse(null));
        return view;
    }

    static String line(ApiKey key) {
        return String.format("%s  %-24s roles=%s categories=%s created=%s%s", key.id(), key.name(),
                String.join(",", key.roles().stream().map(Role::inWords).sorted().toList()),
                key.categories().map(categories -> String.join(",", new TreeSet<>(categories))).orElse("*"),
                key.createdAt(), key.revokedAt().map(at -> " revoked=" + at).orElse(""));
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a key and prints its secret, the only time it is shown.")
    public static class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "Who or what uses it (recorded as userId of its appends).")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "read, write, admin or impersonate; repeat for several.")
        List<String> roles;

        @Option(names = "--category", paramLabel = "CATEGORY",
                description = "A category the key is limited to; repeat for several; none for all.")
        List<String> categories;

        @Option(names = "--json", description = "Print the key and its secret as JSON.")
        boolean json;

        @Inject
        ApiKeyService keys;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ApiKeyService.CreatedKey created;
            try {
                created = keys.create(name, Set.copyOf(roles),
                        categories == null ? Optional.empty() : Optional.of(Set.copyOf(categories)), PRINCIPAL);
            } catch (InvalidKeyRequest invalid) {
                spec.commandLine().getErr().println("error: " + invalid.getMessage());
                return 1;
            }
            if (json) {
                Map<String, Object> view = view(created.key());
                view.put("secret", created.secret());
                out.println(ApiJson.write(view));
            } else {
                out.println(line(created.key()));
                out.println("secret: " + created.secret());
                out.println("(shown this once: only its SHA-256 is stored)");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every key, revoked ones included, oldest first.")
    public static class ListKeys implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print a JSON array.")
        boolean json;

        @Inject
        ApiKeyService keys;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<ApiKey> all = keys.list();
            if (json) {
                out.println(ApiJson.write(all.stream().map(KeysCommand::view).toList()));
            } else {
                all.forEach(key -> out.println(line(key)));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a key: within eventstore.security.key-cache (1 s) no instance accepts it.")
    public static class Revoke implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "<id>", description = "The key's id, as keys list shows it.")
        UUID id;

        @Option(names = "--json", description = "Print the revoked key as JSON.")
        boolean json;

        @Inject
        ApiKeyService keys;

        @Override
        public Integer call() {
            Optional<ApiKey> revoked = keys.revoke(id, PRINCIPAL);
            if (revoked.isEmpty()) {
                spec.commandLine().getErr().println("error: no key has the id " + id + " (admin keys list shows them)");
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(json ? ApiJson.write(view(revoked.get())) : "revoked " + line(revoked.get()));
            return 0;
        }
    }
}
