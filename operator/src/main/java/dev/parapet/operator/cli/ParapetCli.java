package dev.parapet.operator.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code parapet} command line: scan and check run without Quarkus or a cluster. */
@Command(
    name = "parapet",
    mixinStandardHelpOptions = true,
    versionProvider = ParapetCli.Version.class,
    description = "Kubernetes-native cloud and cluster posture.",
    footer = {
      "",
      "Also: parapet run (the operator against the current kubeconfig), parapet demo.",
      "Exit codes: 0 clean, 1 findings at or above --fail-on (check: also any object the webhook"
          + " would deny, whatever --fail-on), 2 bad input (scan: refused before any scan), a"
          + " failed scan, or a scan that judged nothing."
    })
public final class ParapetCli {

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"parapet " + Versions.parapet()};
    }
  }

  private ParapetCli() {}

  /** Runs a CLI subcommand and returns its exit code. */
  public static int execute(String[] args, PrintStream out, PrintStream err, InputStream in) {
    var cli =
        new CommandLine(new ParapetCli())
            .addSubcommand(new ScanCommand(out, err))
            .addSubcommand(new CheckCommand(out, err, in));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException) {
            RedactedOutput.println(err, "parapet: " + e.getMessage());
            return ExitCodes.ERROR;
          }
          throw e;
        });
    // picocli echoes the offending argument ("Unmatched argument at index 1: '...'"), which may be
    // a credential pasted in the wrong place: its messages and the usage go through the Redactor.
    cli.setParameterExceptionHandler(
        (e, args1) -> {
          var commandLine = e.getCommandLine();
          RedactedOutput.println(err, "parapet: " + e.getMessage());
          var more = new java.io.StringWriter();
          if (!CommandLine.UnmatchedArgumentException.printSuggestions(
              e, new PrintWriter(more, true))) {
            commandLine.usage(new PrintWriter(more, true));
          }
          RedactedOutput.print(err, more.toString());
          return ExitCodes.ERROR;
        });
    cli.setExitCodeExceptionMapper(e -> ExitCodes.ERROR);
    return cli.execute(args);
  }
}
