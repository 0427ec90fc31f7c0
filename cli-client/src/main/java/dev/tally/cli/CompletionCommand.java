package dev.tally.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a shell completion script for every command and option (picocli's generator). */
@Command(name = "completion", description = "Prints a completion script for bash or zsh.",
        footer = {"", "Install:", "  bash: tally completion bash > ~/.local/share/bash-completion/completions/tally",
                "  zsh:  add  source <(tally completion zsh)  to ~/.zshrc"})
final class CompletionCommand implements Callable<Integer> {

    /** The shells the script is for. */
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        // One script serves both: it turns on zsh's bash-completion layer when zsh runs it.
        spec.commandLine().getOut().print(AutoComplete.bash("tally", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
