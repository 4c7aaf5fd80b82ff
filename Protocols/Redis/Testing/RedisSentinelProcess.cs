using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReactiveKv.Redis.Testing;

/// <summary>
/// A throwaway Sentinel deployment for tests and examples, all on loopback: a primary and one replica
/// (<see cref="RedisServerProcess"/>s) and three sentinels monitoring them as <see cref="ServiceName"/> with quorum 2,
/// a one-second down-after and config files in a temporary directory; every process is a child stopped by its pid.
/// The primary refuses writes while no replica is attached (<c>min-replicas-to-write 1</c>, as the Sentinel
/// documentation advises): when a failover promotes the replica, the old primary stops acknowledging writes that the
/// new one would never see. The sentinels also monitor <see cref="StaleServiceName"/> at the replica's address, as a
/// sentinel with an out-of-date configuration would, so tests can check that clients refuse a server that is not a primary.
/// </summary>
public sealed class RedisSentinelProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly List<Process> _sentinels = [];
    private readonly string _directory;

    private RedisSentinelProcess(RedisServerProcess primary, RedisServerProcess replica, string directory)
    {
        Primary = primary;
        Replica = replica;
        _directory = directory;
    }

    /// <summary>The name the sentinels monitor the primary under.</summary>
    public string ServiceName => "mymaster";

    /// <summary>A name the sentinels map to the replica's address (a stale configuration): never a primary while the replica is one.</summary>
    public string StaleServiceName => "stale";

    /// <summary>The server that was the primary at start.</summary>
    public RedisServerProcess Primary { get; }

    /// <summary>The server that was the replica at start (the primary after a failover).</summary>
    public RedisServerProcess Replica { get; }

    /// <summary>The sentinels' loopback ports.</summary>
    public IReadOnlyList<int> SentinelPorts { get; private set; } = [];

    /// <summary>The <c>redis+sentinel://</c> URL naming every sentinel and <see cref="ServiceName"/>.</summary>
    public string Url => UrlFor(ServiceName);

    /// <summary>True when redis-server (which runs sentinels too, with <c>--sentinel</c>) is on the PATH.</summary>
    public static bool IsInstalled => RedisServerProcess.IsInstalled;

    /// <summary>The <c>redis+sentinel://</c> URL for another monitored name.</summary>
    public string UrlFor(string serviceName) =>
        $"redis+sentinel://{string.Join(",", SentinelPorts.Select(p => $"127.0.0.1:{p}"))}/{serviceName}";

    /// <summary>Starts the primary, the replica and the sentinels; returns once every sentinel sees the replica linked and the other sentinels.</summary>
    public static async Task<RedisSentinelProcess> StartAsync(CancellationToken cancellationToken = default)
    {
        // Diskless sync without delay: the replica is in sync in milliseconds rather than after the default 5 s wait.
        string[] common = ["--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"];
        var primary = await RedisServerProcess.StartAsync([.. common, "--min-replicas-to-write", "1", "--min-replicas-max-lag", "10"], cancellationToken: cancellationToken);
        RedisServerProcess? replica = null;
        RedisSentinelProcess? deployment = null;
        var directory = Directory.CreateTempSubdirectory("rkv-sentinel-").FullName;
        try
        {
            replica = await RedisServerProcess.StartAsync([.. common, "--replicaof", $"127.0.0.1 {primary.Port}"], cancellationToken: cancellationToken);
            deployment = new RedisSentinelProcess(primary, replica, directory);
            await deployment.StartSentinelsAsync(cancellationToken);
            await deployment.WaitUntilSettledAsync(cancellationToken);
            return deployment;
        }
        catch
        {
            if (deployment is not null)
            {
                await deployment.DisposeAsync();
            }
            else
            {
                await primary.DisposeAsync();
                if (replica is not null)
                {
                    await replica.DisposeAsync();
                }

                DeleteDirectory(directory);
            }

            throw;
        }
    }

    /// <summary>Asks a sentinel to fail over now (<c>SENTINEL FAILOVER</c>), without waiting for agreement or for the outcome.</summary>
    public async Task FailoverAsync(CancellationToken cancellationToken = default)
    {
        var reply = await AskAsync(SentinelPorts[0], cancellationToken, "SENTINEL", "FAILOVER", ServiceName);
        if (reply as string != "OK")
        {
            throw new InvalidOperationException($"SENTINEL FAILOVER answered {reply}.");
        }
    }

    /// <summary>Polls until every sentinel names the server on <paramref name="port"/> the primary and it says ROLE master.</summary>
    /// <exception cref="TimeoutException">That did not happen within <paramref name="timeout"/> (default 60 s).</exception>
    public async Task WaitForPrimaryAsync(int port, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await PollAsync(
            async () =>
            {
                foreach (var sentinel in SentinelPorts)
                {
                    if (await AskAsync(sentinel, cancellationToken, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName) is not List<object?> { Count: 2 } address
                        || address[1] as string != port.ToString(CultureInfo.InvariantCulture))
                    {
                        return false;
                    }
                }

                return await AskAsync(port, cancellationToken, "ROLE") is List<object?> { Count: > 0 } role && role[0] as string == "master";
            },
            timeout ?? TimeSpan.FromSeconds(60),
            $"every sentinel names 127.0.0.1:{port} the primary of {ServiceName}",
            cancellationToken);
    }

    /// <summary>Stops the sentinels and both servers (by pid) and removes the configuration directory.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var sentinel in _sentinels)
        {
            Kill(sentinel);
        }

        _sentinels.Clear();
        await Primary.DisposeAsync();
        await Replica.DisposeAsync();
        DeleteDirectory(_directory);
    }

    /// <summary>Sends one command over a plain socket (not the client under test) and reads the RESP2 reply.</summary>
    internal static async Task<object?> AskAsync(int port, CancellationToken cancellationToken, params string[] command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = client.GetStream();
        var request = new StringBuilder().Append(CultureInfo.InvariantCulture, $"*{command.Length}\r\n");
        foreach (var part in command)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await ReadAsync(reader, cancellationToken);
    }

    private static async Task<object?> ReadAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var line = await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("The server closed the connection.");
        var rest = line[1..];
        switch (line[0])
        {
            case '+':
                return rest;
            case '-':
                throw new InvalidOperationException(rest);
            case ':':
                return long.Parse(rest, CultureInfo.InvariantCulture);
            case '$':
                return rest == "-1" ? null : await reader.ReadLineAsync(cancellationToken);
            case '*':
                var count = int.Parse(rest, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }

                var items = new List<object?>(count);
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadAsync(reader, cancellationToken));
                }

                return items;
            default:
                throw new IOException($"Unexpected reply line '{line}'.");
        }
    }

    private static async Task PollAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        // Waiting on other processes (sentinel elections, replication): poll, bounded by a generous limit.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
            {
                // A process not up yet, or between roles: ask again.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Never happened within {timeout}: {what}.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }

    private async Task StartSentinelsAsync(CancellationToken cancellationToken)
    {
        var ports = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var port = RedisServerProcess.FreePort();
            ports.Add(port);
            var config = Path.Combine(_directory, $"sentinel-{port}.conf");
            await File.WriteAllLinesAsync(
                config,
                [
                    $"port {port}",
                    "bind 127.0.0.1",
                    "daemonize no",
                    "protected-mode no",
                    $"dir {_directory}",
                    "sentinel resolve-hostnames no",
                    $"sentinel monitor {ServiceName} 127.0.0.1 {Primary.Port} 2",
                    $"sentinel down-after-milliseconds {ServiceName} 1000",
                    $"sentinel failover-timeout {ServiceName} 10000",
                    $"sentinel parallel-syncs {ServiceName} 1",
                    $"sentinel monitor {StaleServiceName} 127.0.0.1 {Replica.Port} 2",
                    // Long enough that the sentinels never try to fail the stale name over while tests run.
                    $"sentinel down-after-milliseconds {StaleServiceName} 600000",
                ],
                cancellationToken);
            _sentinels.Add(await StartSentinelAsync(config, cancellationToken));
        }

        SentinelPorts = ports;
    }

    private async Task<Process> StartSentinelAsync(string config, CancellationToken cancellationToken)
    {
        // Debian's redis-sentinel is redis-server under another name; redis-server --sentinel is the same program.
        var sentinel = RedisServerProcess.FindOnPath("redis-sentinel");
        var start = new ProcessStartInfo(sentinel ?? "redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(config);
        if (sentinel is null)
        {
            start.ArgumentList.Add("--sentinel");
        }

        start.ArgumentList.Add("--logfile");
        start.ArgumentList.Add("");
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-sentinel did not start.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("redis-sentinel exited before it was ready."));
            }
            else if (e.Data.Contains($"+monitor master {ServiceName} ", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(StartTimeout, cancellationToken);
        }
        catch
        {
            Kill(process);
            throw;
        }

        return process;
    }

    /// <summary>Polls until every sentinel sees the replica linked to the primary and the two other sentinels (needed for a failover and for spreading its outcome).</summary>
    private Task WaitUntilSettledAsync(CancellationToken cancellationToken) => PollAsync(
        async () =>
        {
            foreach (var sentinel in SentinelPorts)
            {
                var replicas = await AskAsync(sentinel, cancellationToken, "SENTINEL", "REPLICAS", ServiceName) as List<object?> ?? [];
                var linked = replicas.OfType<List<object?>>().Select(Fields).Any(r =>
                    r.GetValueOrDefault("port") == Replica.Port.ToString(CultureInfo.InvariantCulture)
                    && r.GetValueOrDefault("flags") == "slave"
                    && r.GetValueOrDefault("master-link-status") == "ok");
                var peers = await AskAsync(sentinel, cancellationToken, "SENTINEL", "SENTINELS", ServiceName) as List<object?> ?? [];
                if (!linked || peers.Count < SentinelPorts.Count - 1)
                {
                    return false;
                }
            }

            return true;
        },
        TimeSpan.FromSeconds(60),
        "every sentinel sees the replica linked and the other sentinels",
        cancellationToken);

    private static Dictionary<string, string?> Fields(List<object?> flat)
    {
        var fields = new Dictionary<string, string?>();
        for (var i = 0; i + 1 < flat.Count; i += 2)
        {
            fields[flat[i] as string ?? ""] = flat[i + 1] as string;
        }

        return fields;
    }
}
