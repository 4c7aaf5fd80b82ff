using System.Runtime.InteropServices;

namespace ReactiveKv.Examples.CommandLine;

/// <summary>
/// A token cancelled by Ctrl+C (SIGINT) or SIGTERM, so long-running commands stop cleanly. A second signal gets
/// the default behaviour and ends the process, in case shutting down hangs.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _requested = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];

    public CancellationToken Token => _requested.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _requested.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = !_requested.IsCancellationRequested;
        _requested.Cancel();
    }
}
