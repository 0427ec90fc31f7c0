package dev.tally.cli;

import java.util.Map;

/** One example per command, shown at the end of its --help; a test checks that every command has one. */
final class Examples {

    private static final String POOL = "us-east-1:0b1e4c6a-5f2c-4d8e-9a7b-3c2d1e0f9a8b";
    private static final String IDENTITY = "us-east-1:5f2c9d1e-7a3b-4c8d-b6e5-1a2b3c4d5e6f";
    private static final String ARN = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef";

    static final Map<String, String> BY_COMMAND = Map.ofEntries(
            Map.entry("health", "tally health --target tally.internal:50051 --tls"),
            Map.entry("dev-keys create", "tally dev-keys create --name ci-deployer"),
            Map.entry("dev-keys list", "tally dev-keys list --all"),
            Map.entry("dev-keys revoke", "tally dev-keys revoke k3x9q2m7p1w8z4r6"),
            Map.entry("access-keys create", "tally access-keys create --description 'laptop, AWS CLI'"),
            Map.entry("access-keys list", "tally access-keys list"),
            Map.entry("access-keys delete", "tally access-keys delete AKIAQ2X7EXAMPLE3ZK5M --yes"),
            Map.entry("tokens issue", "tally tokens issue --pool " + POOL + " --identity " + IDENTITY + " --ttl 15m"),
            Map.entry("tokens revoke", "tally tokens revoke --pool " + POOL + " --identity " + IDENTITY),
            Map.entry("pools create", "tally pools create --name 'mobile app'"),
            Map.entry("pools describe", "tally pools describe " + POOL),
            Map.entry("pools list", "tally pools list --all -o csv"),
            Map.entry("pools delete", "tally pools delete " + POOL + " --yes"),
            Map.entry("pools usage", "tally pools usage " + POOL + "   # or every pool: tally pools usage --all"),
            Map.entry("identities create", "tally identities create --pool " + POOL),
            Map.entry("identities list", "tally identities list --pool " + POOL + " --all"),
            Map.entry("identities describe", "tally identities describe " + IDENTITY),
            Map.entry("identities usage", "tally identities usage " + IDENTITY + " --pool " + POOL),
            Map.entry("datasets list", "tally datasets list --pool " + POOL + " --identity " + IDENTITY),
            Map.entry("datasets describe", "tally datasets describe settings --pool " + POOL + " --identity " + IDENTITY),
            Map.entry("datasets delete", "tally datasets delete settings --pool " + POOL + " --identity " + IDENTITY),
            Map.entry("records list", "tally records list --dataset settings --pool " + POOL + " --identity " + IDENTITY + " --all"),
            Map.entry("records put", "tally records put theme=dark lang=fr --dataset settings --pool " + POOL + " --identity " + IDENTITY),
            Map.entry("records remove", "tally records remove theme --dataset settings --pool " + POOL + " --identity " + IDENTITY),
            Map.entry("plans create", "tally plans create --name gold --quota-limit 10000 --quota-period month --burst 100 --rate 50"),
            Map.entry("plans get", "tally plans get a1b2c3"),
            Map.entry("plans update", "tally plans update a1b2c3 --quota-limit 20000"),
            Map.entry("plans list", "tally plans list --key 0cathkmfnw"),
            Map.entry("plans delete", "tally plans delete a1b2c3 --yes"),
            Map.entry("plans key", "tally plans key --plan a1b2c3 --key 0cathkmfnw"),
            Map.entry("plans add-key", "tally plans add-key --plan a1b2c3 --key 0cathkmfnw"),
            Map.entry("plans remove-key", "tally plans remove-key --plan a1b2c3 --key 0cathkmfnw"),
            Map.entry("plans keys", "tally plans keys --plan a1b2c3 --all"),
            Map.entry("keys create", "tally keys create --name web-frontend"),
            Map.entry("keys get", "tally keys get 0cathkmfnw --include-value"),
            Map.entry("keys list", "tally keys list --name-query web --all"),
            Map.entry("keys enable", "tally keys enable 0cathkmfnw"),
            Map.entry("keys disable", "tally keys disable 0cathkmfnw"),
            Map.entry("keys delete", "tally keys delete 0cathkmfnw --yes"),
            Map.entry("keys import", "printf 'web-1,,a1b2c3\\nweb-2,,a1b2c3\\n' > keys.csv && tally keys import keys.csv"),
            Map.entry("usage get", "tally usage get --plan a1b2c3 --from -7d --to today --all --only-used --sort used"),
            Map.entry("usage set-remaining", "tally usage set-remaining --plan a1b2c3 --key 0cathkmfnw --remaining 500"),
            Map.entry("usage record", "tally usage record --plan a1b2c3 --key 0cathkmfnw --count 120 --time yesterday"
                    + " --idempotency-key batch-2026-11-30"),
            Map.entry("quota consume", "tally quota consume --plan a1b2c3 --api-key \"$API_KEY\" --cost 1 || echo \"refused: exit $?\""),
            Map.entry("licenses create", "tally licenses create --name Office --product 'Office Suite' --sku OFF-1"
                    + " --entitlement name=Seats,unit=COUNT,max=10"),
            Map.entry("licenses get", "tally licenses get " + ARN),
            Map.entry("licenses list", "tally licenses list --all"),
            Map.entry("licenses usage", "tally licenses usage " + ARN),
            Map.entry("licenses set-status", "tally licenses set-status " + ARN + " deactivated --yes"),
            Map.entry("licenses delete", "tally licenses delete " + ARN + " --yes"),
            Map.entry("licenses checkout", "tally licenses checkout --arn " + ARN + " --entitlement Seats=2 --node-id build-7"),
            Map.entry("licenses checkin", "tally licenses checkin 6e1d8b3a-2f4c-4a7e-9b0d-5c3a1f2e7d9b"),
            Map.entry("licenses extend", "tally licenses extend 6e1d8b3a-2f4c-4a7e-9b0d-5c3a1f2e7d9b"),
            Map.entry("completion", "tally completion bash > ~/.local/share/bash-completion/completions/tally"),
            Map.entry("help", "tally help usage get"));

    private Examples() {
    }
}
