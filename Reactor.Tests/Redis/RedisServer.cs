using System.Diagnostics;
using ReactiveKv.Tests.Support;

namespace ReactiveKv.Tests.Redis;

/// <summary>A real redis-server on a free loopback port, persistence off, started and stopped by the tests.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port, string? unixSocket)
    {
        Port = port;
        UnixSocket = unixSocket;
    }

    public int Port { get; }

    public string? UnixSocket { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>PEM certificate and key files: when set, the server listens with TLS only (<c>--tls-port</c>).</summary>
    public (string Certificate, string Key)? Tls { get; private init; }

    public static async Task<RedisServer> StartTlsAsync(string certificatePem, string keyPem)
    {
        var server = new RedisServer(ReactorFixture.FreePort(), null) { Tls = (certificatePem, keyPem) };
        await server.RestartAsync();
        return server;
    }

    public static async Task<RedisServer> StartAsync(int? port = null, bool unixSocket = false)
    {
        var socket = unixSocket ? Path.Combine(Path.GetTempPath(), $"rkv-redis-{Guid.NewGuid():N}.sock") : null;
        var server = new RedisServer(port ?? ReactorFixture.FreePort(), socket);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts (again) on the same port; returns when the server says it accepts connections.</summary>
    public async Task RestartAsync()
    {
        Kill();
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Tls is null ? Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no", "--loglevel", "notice", "--logfile", "", "--notify-keyspace-events", "KEA", "--enable-debug-command", "local" })
        {
            start.ArgumentList.Add(arg);
        }

        if (Tls is { } tls)
        {
            foreach (var arg in new[] { "--tls-port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tls-cert-file", tls.Certificate, "--tls-key-file", tls.Key, "--tls-ca-cert-file", tls.Certificate, "--tls-auth-clients", "no" })
            {
                start.ArgumentList.Add(arg);
            }
        }

        if (UnixSocket is not null)
        {
            start.ArgumentList.Add("--unixsocket");
            start.ArgumentList.Add(UnixSocket);
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
        await ready.Task.Within();
    }

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

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
