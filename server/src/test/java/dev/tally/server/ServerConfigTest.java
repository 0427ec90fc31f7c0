package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Settings come from flags, then TALLY_* variables, then defaults; a bad one stops start-up with one line. */
class ServerConfigTest {

    @Test
    void defaults_matchTheOperatorsContract() {
        TallyServerMain main = parse();

        ServerConfig config = main.config();

        assertThat(config.port()).isEqualTo(50051);
        assertThat(config.dataDir().toString()).isEqualTo("./data");
        assertThat(config.databaseUrl()).isEmpty();
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.accountId()).isEqualTo("000000000000");
        assertThat(config.rateLimit()).isEqualTo(10_000);
        assertThat(config.rateBurst()).isEqualTo(20_000);
        assertThat(config.sqliteSynchronous()).isEqualTo("FULL");
    }

    @Test
    void flags_override_theDefaults() {
        ServerConfig config = parse("--port", "6000", "--region", "eu-west-1", "--account-id", "123456789012",
                "--database-url", "jdbc:postgresql://db/tally", "--sqlite-synchronous", "NORMAL").config();

        assertThat(config.port()).isEqualTo(6000);
        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(config.accountId()).isEqualTo("123456789012");
        assertThat(config.databaseUrl()).contains("jdbc:postgresql://db/tally");
        assertThat(config.sqliteSynchronous()).isEqualTo("NORMAL");
        assertThat(parse("--http-port", "off").config().httpPort()).isEmpty();
        assertThat(parse("--http-port", "0", "--aws-auth", "OPEN").config().awsAuth()).isEqualTo(ServerConfig.AwsAuth.OPEN);
        assertThat(parse().config().httpPort()).hasValue(50080);
    }

    @Test
    void badValues_stopStartUp_withOneLineNamingTheSetting() {
        assertThat(run("--port", "70000")).containsExactly("tally-server: invalid --port '70000': expected 0..65535");
        assertThat(run("--account-id", "12")).containsExactly("tally-server: invalid --account-id '12': expected 12 digits");
        assertThat(run("--sqlite-synchronous", "OFF")).hasSize(1).first().asString().contains("--sqlite-synchronous 'OFF'");
        assertThat(run("--database-url", "jdbc:mysql://x")).hasSize(1).first().asString().contains("--database-url");
        assertThat(run("--tls-cert", "/nonexistent.pem")).hasSize(1).first().asString().contains("--tls-cert/--tls-key");
        assertThat(run("--rate-limit", "0")).hasSize(1).first().asString().contains("--rate-limit '0.0'");
        assertThat(run("--http-port", "65536")).containsExactly("tally-server: invalid --http-port '65536': expected 0..65535 or off");
        assertThat(run("--http-port", "on")).containsExactly("tally-server: invalid --http-port 'on': expected 0..65535 or off");
        assertThat(run("--aws-auth", "none")).containsExactly("tally-server: invalid --aws-auth 'none': expected sigv4 or open");
    }

    @Test
    void unparsableValues_areUsageErrors() {
        CommandLine commandLine = TallyServerMain.commandLine();
        commandLine.setErr(new PrintWriter(new StringWriter()));

        assertThat(commandLine.execute("--port", "abc")).isEqualTo(2);
        assertThat(commandLine.execute("--no-such-flag")).isEqualTo(2);
    }

    @Test
    void durations_areWrittenAsOperatorsWriteThem_orInIso8601() {
        assertThat(parse("--drain-delay", "5s").config().drainDelay()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(parse("--drain-delay", "500ms").config().drainDelay()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(parse("--shutdown-grace", "2m").config().shutdownGrace()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(parse("--database-wait", "PT45S").config().databaseWait()).isEqualTo(java.time.Duration.ofSeconds(45));
        assertThat(parse("--database-wait", "1h").config().databaseWait()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(parse().config().databaseWait()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(parse().config().drainDelay()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(parse().config().accessLog()).isTrue();
        assertThat(parse("--access-log", "off").config().accessLog()).isFalse();
    }

    @Test
    void aBadDurationOrSwitch_isOneLineSayingHowToWriteIt() {
        assertThat(run("--drain-delay", "5x")).containsExactly(
                "tally-server: Invalid value for option '--drain-delay': '5x' is not a duration: write it as 500ms, 5s, 2m, 1h or"
                        + " ISO-8601 (PT5S)",
                "Run 'tally-server --help' for every option.");
        assertThat(run("--access-log", "maybe")).containsExactly("tally-server: invalid --access-log 'maybe': expected on or off");
        assertThat(run("--database-wait", "-5s")).hasSize(2).first().asString().contains("'-5s' is not a duration");
        assertThat(run("--http-port", "7000", "--port", "7000")).containsExactly(
                "tally-server: invalid --http-port '7000': expected a port other than --port's");
    }

    private static TallyServerMain parse(String... args) {
        CommandLine commandLine = TallyServerMain.commandLine();
        commandLine.parseArgs(args);
        return commandLine.getCommand();
    }

    private static java.util.List<String> run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = TallyServerMain.commandLine();
        commandLine.setErr(new PrintWriter(err));
        assertThat(commandLine.execute(args)).isEqualTo(2);
        return err.toString().lines().toList();
    }
}
