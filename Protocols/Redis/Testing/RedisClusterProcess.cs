using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ReactiveKv.Redis.Testing;

/// <summary>
/// A throwaway Redis Cluster for tests and benchmarks: redis-server processes on free loopback ports, joined with
/// <c>redis-cli --cluster create</c>, no persistence, all files in a temporary folder deleted on dispose. Also drives
/// the operations cluster tests need: killing a node, manual failover and slot migration step by step.
/// Needs redis-server and redis-cli on the PATH (Debian's <c>redis-server</c> and <c>redis-tools</c> packages).
/// </summary>
public sealed class RedisClusterProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<int, Process> _processes = [];
    private readonly string _directory;

    private RedisClusterProcess(string directory, IReadOnlyList<int> ports)
    {
        _directory = directory;
        Ports = ports;
    }

    /// <summary>The client ports of all nodes, in start order (the cluster bus of each is its port + 10000).</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>A URL naming every node: <c>redis://127.0.0.1:p1,127.0.0.1:p2,…</c>.</summary>
    public string Url => "redis://" + string.Join(',', Ports.Select(port => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>A URL naming the first node only, for clients that discover the rest.</summary>
    public string SeedUrl => $"redis://127.0.0.1:{Ports[0].ToString(CultureInfo.InvariantCulture)}";

    /// <summary>True when redis-server and redis-cli are both on the PATH.</summary>
    public static bool IsInstalled => RedisServerProcess.FindOnPath("redis-server") is not null && RedisServerProcess.FindOnPath("redis-cli") is not null;

    /// <summary>
    /// Starts <paramref name="primaries"/> × (1 + <paramref name="replicasPerPrimary"/>) nodes, creates the cluster
    /// and returns once every node reports <c>cluster_state:ok</c> and all agree on who owns which slots.
    /// </summary>
    public static async Task<RedisClusterProcess> StartAsync(int primaries = 3, int replicasPerPrimary = 1, CancellationToken ct = default)
    {
        // redis-cli --cluster create refuses fewer than 3 primaries.
        ArgumentOutOfRangeException.ThrowIfLessThan(primaries, 3);
        ArgumentOutOfRangeException.ThrowIfNegative(replicasPerPrimary);
        var directory = Path.Combine(Path.GetTempPath(), $"rkv-redis-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var ports = ClusterPorts(primaries * (1 + replicasPerPrimary));
        var cluster = new RedisClusterProcess(directory, ports);
        try
        {
            await Task.WhenAll(ports.Select(port => cluster.StartNodeAsync(port, ct)));
            List<string> create = ["--cluster", "create", .. ports.Select(port => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"),
                "--cluster-replicas", replicasPerPrimary.ToString(CultureInfo.InvariantCulture), "--cluster-yes"];
            var (code, output) = await RunCliAsync(create, ct);
            if (code != 0 || output.Contains("[ERR]", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed ({code}):\n{output}");
            }

            await cluster.WaitForStateOkAsync(ct);
            // A replica that never synced is too stale to be elected or to take a manual failover.
            foreach (var port in ports)
            {
                await PollAsync(async () =>
                {
                    var replication = await cluster.CliAsync(port, "INFO", "replication");
                    return replication.Contains("role:master", StringComparison.Ordinal) || replication.Contains("master_link_status:up", StringComparison.Ordinal);
                }, $"the replica on port {port} to sync with its primary", ct);
            }

            if (replicasPerPrimary > 0)
            {
                // CLUSTER SHARDS calls a replica "loading" while its replication offset is 0, which on an idle cluster
                // lasts until the primaries' next replication ping (10 s): a write to every shard moves the offsets
                // now, and clients route reads to replicas only once they are "online".
                for (var i = 0; i < 64; i++)
                {
                    await RunCliAsync(["-c", "-h", "127.0.0.1", "-p", ports[0].ToString(CultureInfo.InvariantCulture), "SET", $"rkv:fixture:warm:{i}", "1"], ct);
                }

                foreach (var port in ports)
                {
                    await PollAsync(async () => !(await cluster.CliAsync(port, "CLUSTER", "SHARDS")).Contains("loading", StringComparison.Ordinal),
                        $"node {port} to see every replica online", ct);
                }
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>redis-cli -p port args…</c> against one node and returns its standard output (raw, one reply element a line).</summary>
    public async Task<string> CliAsync(int port, params string[] args)
    {
        var (code, output) = await RunCliAsync(["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. args], CancellationToken.None);
        return code == 0 ? output : throw new InvalidOperationException($"redis-cli -p {port} {string.Join(' ', args)} exited with {code}:\n{output}");
    }

    /// <summary>The ports of the primaries that are not failed, as a live node sees them, in ascending order.</summary>
    public async Task<int[]> PrimaryPortsAsync() =>
        (await NodesAsync()).Where(node => node.IsPrimary && !node.Failed).Select(node => node.Port).Order().ToArray();

    /// <summary>The port of a replica of the primary on <paramref name="primaryPort"/>.</summary>
    /// <exception cref="InvalidOperationException">That primary has no replica.</exception>
    public async Task<int> ReplicaOfAsync(int primaryPort)
    {
        var nodes = await NodesAsync();
        var primary = nodes.FirstOrDefault(node => node.Port == primaryPort)
            ?? throw new InvalidOperationException($"No node on port {primaryPort}.");
        return nodes.FirstOrDefault(node => node.PrimaryId == primary.Id && !node.Failed)?.Port
            ?? throw new InvalidOperationException($"The node on port {primaryPort} has no replica.");
    }

    /// <summary>Kills the node on <paramref name="port"/> with SIGKILL (by its pid), as a crash would.</summary>
    public void Kill(int port)
    {
        if (_processes.Remove(port, out var process))
        {
            Stop(process);
        }
    }

    /// <summary>
    /// Waits until every running node reports <c>cluster_state:ok</c>, all of them agree on the slot owners, and no
    /// slot is owned by a node <see cref="Kill"/> stopped (after a kill: until its replica has taken over).
    /// </summary>
    public Task WaitForStateOkAsync() => WaitForStateOkAsync(CancellationToken.None);

    /// <summary>Moves <paramref name="slot"/> and its keys from one primary to another: the whole resharding procedure.</summary>
    public async Task MigrateSlotAsync(int slot, int fromPort, int toPort)
    {
        await BeginMigrationAsync(slot, fromPort, toPort);
        await MoveKeysAsync(slot, fromPort, toPort);
        await FinishMigrationAsync(slot, fromPort, toPort);
    }

    /// <summary>
    /// Resharding step 1: marks the slot IMPORTING on the target, then MIGRATING on the source. From here the source
    /// answers ASK for keys it no longer has.
    /// </summary>
    public async Task BeginMigrationAsync(int slot, int fromPort, int toPort)
    {
        var fromId = await IdOfAsync(fromPort);
        var toId = await IdOfAsync(toPort);
        var slotText = slot.ToString(CultureInfo.InvariantCulture);
        // Target first, as the Redis docs say: then a client redirected by ASK always finds the slot importing.
        await ExpectOkAsync(toPort, "CLUSTER", "SETSLOT", slotText, "IMPORTING", fromId);
        await ExpectOkAsync(fromPort, "CLUSTER", "SETSLOT", slotText, "MIGRATING", toId);
    }

    /// <summary>Resharding step 2: MIGRATEs the slot's keys in batches (CLUSTER GETKEYSINSLOT) until the source has none.</summary>
    public async Task MoveKeysAsync(int slot, int fromPort, int toPort, int batch = 100)
    {
        var slotText = slot.ToString(CultureInfo.InvariantCulture);
        while (true)
        {
            var keys = Lines(await CliAsync(fromPort, "CLUSTER", "GETKEYSINSLOT", slotText, batch.ToString(CultureInfo.InvariantCulture)));
            if (keys.Length == 0)
            {
                return;
            }

            // An empty key argument plus KEYS moves the batch in one round trip.
            var reply = await CliAsync(fromPort, ["MIGRATE", "127.0.0.1", toPort.ToString(CultureInfo.InvariantCulture), "", "0", "10000", "KEYS", .. keys]);
            if (!reply.StartsWith("OK", StringComparison.Ordinal) && !reply.StartsWith("NOKEY", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"MIGRATE of slot {slot} from {fromPort} to {toPort} failed: {reply.Trim()}");
            }
        }
    }

    /// <summary>
    /// Resharding step 3: CLUSTER SETSLOT NODE on the target, then the source, then every other primary, so the
    /// new owner is known everywhere at once rather than by gossip later.
    /// </summary>
    public async Task FinishMigrationAsync(int slot, int fromPort, int toPort)
    {
        var toId = await IdOfAsync(toPort);
        var slotText = slot.ToString(CultureInfo.InvariantCulture);
        await ExpectOkAsync(toPort, "CLUSTER", "SETSLOT", slotText, "NODE", toId);
        await ExpectOkAsync(fromPort, "CLUSTER", "SETSLOT", slotText, "NODE", toId);
        foreach (var port in await PrimaryPortsAsync())
        {
            if (port != fromPort && port != toPort && _processes.ContainsKey(port))
            {
                await ExpectOkAsync(port, "CLUSTER", "SETSLOT", slotText, "NODE", toId);
            }
        }
    }

    /// <summary>Runs CLUSTER FAILOVER on a replica and waits until it is a primary and the cluster is ok again.</summary>
    public async Task FailoverAsync(int replicaPort)
    {
        // A manual failover waits for the replica to catch up with its primary and is dropped silently when that
        // takes too long (after a failback the link may still be re-syncing): ask again until it is a primary.
        var attempt = Stopwatch.StartNew();
        var asked = false;
        await PollAsync(async () =>
        {
            if ((await CliAsync(replicaPort, "ROLE")).StartsWith("master", StringComparison.Ordinal))
            {
                return true;
            }

            if (!asked || attempt.Elapsed > TimeSpan.FromSeconds(5))
            {
                asked = true;
                attempt.Restart();
                await ExpectOkAsync(replicaPort, "CLUSTER", "FAILOVER");
            }

            return false;
        }, $"node {replicaPort} to become a primary", CancellationToken.None);
        await WaitForStateOkAsync();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values)
        {
            Stop(process);
        }

        _processes.Clear();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A node that was still writing its nodes.conf; the folder is in the temp directory anyway.
        }

        return ValueTask.CompletedTask;
    }

    private async Task WaitForStateOkAsync(CancellationToken ct) =>
        await PollAsync(async () =>
        {
            string? agreed = null;
            foreach (var port in _processes.Keys.ToArray())
            {
                var info = await CliAsync(port, "CLUSTER", "INFO");
                if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
                {
                    return false;
                }

                // A replica still loading its first copy is listed as unhealthy and serves no reads: wait for its link.
                var replication = await CliAsync(port, "INFO", "replication");
                if (replication.Contains("role:slave", StringComparison.Ordinal)
                    && !(replication.Contains("master_link_status:up", StringComparison.Ordinal) && replication.Contains("master_sync_in_progress:0", StringComparison.Ordinal)))
                {
                    return false;
                }

                // Every node must see the same owner for every slot, or a client may be redirected in circles; and
                // no owner may be a node this fixture killed (right after Kill the others still think it is fine).
                var primaries = ParseNodes(await CliAsync(port, "CLUSTER", "NODES")).Where(node => node.IsPrimary && node.Slots.Length > 0).ToList();
                if (primaries.Any(node => !_processes.ContainsKey(node.Port)))
                {
                    return false;
                }

                // The roles too: right after create, some nodes still list a replica as a slot-less primary.
                var owners = string.Join(' ', ParseNodes(await CliAsync(port, "CLUSTER", "NODES"))
                    .OrderBy(node => node.Id, StringComparer.Ordinal)
                    .Select(node => $"{node.Id}:{(node.IsPrimary ? "primary" : node.PrimaryId)}={string.Join(',', node.Slots)}"));
                if (agreed is not null && agreed != owners)
                {
                    return false;
                }

                agreed = owners;
            }

            return agreed is not null;
        }, "cluster_state:ok on every node, with the same slot owners and every replica in sync", ct);

    private async Task StartNodeAsync(int port, CancellationToken ct)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args = ["--port", portText, "--bind", "127.0.0.1", "--cluster-enabled", "yes",
            "--cluster-config-file", Path.Combine(_directory, $"nodes-{portText}.conf"), "--cluster-node-timeout", "2000",
            "--dir", _directory, "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no",
            "--loglevel", "notice", "--logfile", "", "--enable-debug-command", "yes",
            // Replicas sync at once instead of after the default 5 s wait for more replicas to share the transfer.
            "--repl-diskless-sync-delay", "0"];
        foreach (var arg in args)
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
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server).", e);
        }

        lock (_processes)
        {
            _processes[port] = process;
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"redis-server on port {port} exited before it was ready."));
            }
            else if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(StartTimeout, ct);
    }

    private async Task<string> IdOfAsync(int port) => (await CliAsync(port, "CLUSTER", "MYID")).Trim();

    private async Task ExpectOkAsync(int port, params string[] args)
    {
        var reply = (await CliAsync(port, args)).Trim();
        if (reply != "OK")
        {
            throw new InvalidOperationException($"{string.Join(' ', args)} on {port} answered: {reply}");
        }
    }

    private async Task<List<ClusterNodeLine>> NodesAsync()
    {
        foreach (var port in _processes.Keys.ToArray())
        {
            return ParseNodes(await CliAsync(port, "CLUSTER", "NODES"));
        }

        throw new InvalidOperationException("No node of the cluster is running.");
    }

    // CLUSTER NODES: <id> <ip:port@cport> <flags> <primary id or -> <ping> <pong> <epoch> <link> <slot ranges…>
    private static List<ClusterNodeLine> ParseNodes(string text) =>
        Lines(text).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(fields => fields.Length >= 8).Select(fields =>
        {
            var address = fields[1].Split('@')[0];
            var port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            var flags = fields[2].Split(',');
            return new ClusterNodeLine(fields[0], port, flags.Contains("master"), flags.Contains("fail") || flags.Contains("fail?"), fields[3] == "-" ? null : fields[3], fields[8..]);
        }).ToList();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task PollAsync(Func<Task<bool>> condition, string what, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > StateTimeout)
            {
                throw new TimeoutException($"Timed out after {StateTimeout.TotalSeconds:0}s waiting for {what}.");
            }

            await Task.Delay(PollInterval, ct);
        }
    }

    private static async Task<(int Code, string Output)> RunCliAsync(IEnumerable<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CliTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Stop(process);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    // Each node also listens on port + 10000 (the cluster bus), so both must be free and below 65536.
    private static int[] ClusterPorts(int count)
    {
        var ports = new List<int>(count);
        while (ports.Count < count)
        {
            var port = RedisServerProcess.FreePort();
            if (port + 10000 <= IPEndPoint.MaxPort && !ports.Contains(port) && !ports.Contains(port + 10000) && !ports.Contains(port - 10000) && CanBind(port + 10000))
            {
                ports.Add(port);
            }
        }

        return [.. ports];
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private sealed record ClusterNodeLine(string Id, int Port, bool IsPrimary, bool Failed, string? PrimaryId, string[] Slots);
}
