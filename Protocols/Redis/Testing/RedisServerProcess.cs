using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ReactiveKv.Redis.Testing;

/// <summary>
/// A throwaway redis-server for tests, examples and benchmarks: on a free loopback port (or the one given), no
/// persistence, started as a child process and stopped by its pid. Needs redis-server on the PATH (Debian's
/// <c>redis-server</c> package).
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private Process? _process;
    private IReadOnlyList<string> _extraArguments = [];

    private RedisServerProcess(int port, string? unixSocket, (string Certificate, string Key)? tls)
    {
        Port = port;
        UnixSocket = unixSocket;
        Tls = tls;
    }

    /// <summary>The loopback port (the TLS port when <see cref="Tls"/> is set).</summary>
    public int Port { get; }

    /// <summary>The Unix socket it also listens on, if asked.</summary>
    public string? UnixSocket { get; }

    /// <summary>PEM certificate and key files: when set, the server listens with TLS only.</summary>
    public (string Certificate, string Key)? Tls { get; }

    /// <summary>The URL to connect to.</summary>
    public string Url => $"{(Tls is null ? "redis" : "rediss")}://127.0.0.1:{Port}";

    /// <summary>True when a redis-server binary is on the PATH.</summary>
    public static bool IsInstalled => FindOnPath("redis-server") is not null;

    /// <summary>Starts a server and returns once it accepts connections.</summary>
    public static async Task<RedisServerProcess> StartAsync(int? port = null, bool unixSocket = false, CancellationToken cancellationToken = default)
    {
        var socket = unixSocket ? Path.Combine(Path.GetTempPath(), $"rkv-redis-{Guid.NewGuid():N}.sock") : null;
        var server = new RedisServerProcess(port ?? FreePort(), socket, null);
        await server.RestartAsync(cancellationToken);
        return server;
    }

    /// <summary>
    /// Starts a server with configuration directives added to the defaults, as command-line pairs
    /// (<c>["--replicaof", "127.0.0.1 6379"]</c>); returns once it accepts connections.
    /// </summary>
    public static async Task<RedisServerProcess> StartAsync(IReadOnlyList<string> extraArguments, int? port = null, CancellationToken cancellationToken = default)
    {
        var server = new RedisServerProcess(port ?? FreePort(), null, null) { _extraArguments = [.. extraArguments] };
        await server.RestartAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts a server that speaks TLS only, with the given PEM files (the certificate is also its CA).</summary>
    public static async Task<RedisServerProcess> StartTlsAsync(string certificatePem, string keyPem, CancellationToken cancellationToken = default)
    {
        var server = new RedisServerProcess(FreePort(), null, (certificatePem, keyPem));
        await server.RestartAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts (again) on the same port; returns when the server says it accepts connections.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Kill();
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in Arguments())
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; .ci/run does it).", e);
        }

        _process = process;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("redis-server exited before it was ready."));
            }
            else if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(StartTimeout, cancellationToken);
    }

    /// <summary>Kills the server (SIGKILL) by its pid.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Kill();
        if (UnixSocket is not null)
        {
            File.Delete(UnixSocket);
        }

        return ValueTask.CompletedTask;
    }

    private List<string> Arguments()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        List<string> args = ["--port", Tls is null ? port : "0", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no", "--loglevel", "notice", "--logfile", "", "--notify-keyspace-events", "KEA", "--enable-debug-command", "local"];
        if (Tls is { } tls)
        {
            args.AddRange(["--tls-port", port, "--tls-cert-file", tls.Certificate, "--tls-key-file", tls.Key, "--tls-ca-cert-file", tls.Certificate, "--tls-auth-clients", "no"]);
        }

        if (UnixSocket is not null)
        {
            args.AddRange(["--unixsocket", UnixSocket]);
        }

        args.AddRange(_extraArguments);
        return args;
    }

    /// <summary>A free loopback TCP port (free when asked: the caller binds it soon after).</summary>
    internal static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>The full path of <paramref name="program"/> on the PATH, or null.</summary>
    internal static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
