using System.Net.Sockets;
using ReactiveKv.Examples.Catalog;

namespace ReactiveKv.Examples.CommandLine;

/// <summary>Turns an error into an exit code and a one-line message.</summary>
internal static class CliErrors
{
    public static (int ExitCode, string Message) Describe(Exception error) => error switch
    {
        UsageException or EndpointSyntaxException => (ExitCodes.Usage, error.Message),
        ConnectionRefusedException => (ExitCodes.Failed, $"connection refused: {error.Message}"),
        ReactorTimeoutException or TimeoutException => (ExitCodes.Failed, $"timed out: {error.Message}"),
        RemoteErrorException => (ExitCodes.Failed, $"server error: {error.Message}"),
        CannotListenException => (ExitCodes.Failed, $"cannot listen: {error.Message}"),
        ExampleFailedException => (ExitCodes.Failed, $"FAILED: {error.Message}"),
        ReactorException or IOException or SocketException => (ExitCodes.Failed, error.Message),
        OperationCanceledException => (ExitCodes.Failed, "cancelled"),
        _ => (ExitCodes.Failed, $"{error.GetType().Name}: {error.Message}"),
    };

    /// <summary>Runs <paramref name="body"/>, writing any error as <c>command: message</c> on one line of <paramref name="stderr"/>.</summary>
    public static async Task<int> GuardAsync(string command, TextWriter stderr, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e)
        {
            var (exitCode, message) = Describe(e);
            stderr.WriteLine(OneLine($"{command}: {message}"));
            return exitCode;
        }
    }

    public static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
