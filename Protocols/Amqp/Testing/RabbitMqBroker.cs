using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ReactiveKv.Amqp.Testing;

/// <summary>
/// A throwaway RabbitMQ node on loopback for tests, examples and benchmarks, run as the current user from the
/// installed <c>rabbitmq-server</c> (Debian: <c>apt-get install rabbitmq-server</c>).
/// </summary>
/// <remarks>
/// Everything lives in a private temp directory (data, logs, config, pid file and the Erlang cookie, with
/// <c>HOME</c> pointing there); the node gets a unique name, its own <c>epmd</c> on a free port (started as a child
/// and stopped by pid), and listens only on 127.0.0.1: AMQP on <see cref="Port"/>, Erlang distribution on
/// <see cref="DistributionPort"/>, epmd on <see cref="EpmdPort"/>. The user <c>guest</c>/<c>guest</c> works since
/// clients come from loopback. Disposing stops the node, then epmd, and removes the directory; a watchdog does the
/// same by pid if this process dies first (<see cref="RabbitMqBrokerOptions.Watchdog"/>).
/// </remarks>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    /// <summary>The line <c>rabbitmq-server</c> prints on stdout once the node has booted.</summary>
    private const string ReadyBanner = "Starting broker... completed";

    private const int OutputLinesKept = 100;

    private readonly RabbitMqBrokerOptions _options;
    private readonly string _scripts;
    private readonly Lock _gate = new();
    private readonly Queue<string> _output = new();
    private Process? _epmd;
    private Process? _node;
    private Process? _watchdog;
    private int _disposed;

    private RabbitMqBroker(RabbitMqBrokerOptions options, string scripts, string directory, int port, int? tlsPort, int epmdPort, int distributionPort)
    {
        _options = options;
        _scripts = scripts;
        DataDirectory = directory;
        Port = port;
        TlsPort = tlsPort;
        EpmdPort = epmdPort;
        DistributionPort = distributionPort;
        NodeName = $"rkv-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}@localhost";
    }

    /// <summary>The AMQP port on 127.0.0.1; the same across <see cref="RestartAsync"/>.</summary>
    public int Port { get; }

    /// <summary>
    /// The AMQPS port on 127.0.0.1 when <see cref="RabbitMqBrokerOptions.TlsCertificateFile"/>,
    /// <see cref="RabbitMqBrokerOptions.TlsKeyFile"/> and <see cref="RabbitMqBrokerOptions.TlsCaFile"/> are set; null otherwise.
    /// </summary>
    public int? TlsPort { get; }

    /// <summary>The port of the node's own epmd on 127.0.0.1.</summary>
    public int EpmdPort { get; }

    /// <summary>The node's Erlang distribution port on 127.0.0.1 (what <c>rabbitmqctl</c> talks to).</summary>
    public int DistributionPort { get; }

    /// <summary>The node's unique name, <c>rkv-&lt;random&gt;@localhost</c>.</summary>
    public string NodeName { get; }

    /// <summary>The temp directory holding the node's data, logs, config and cookie; removed on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>The node's log file.</summary>
    public string LogFile => Path.Combine(DataDirectory, "log", NodeName + ".log");

    /// <summary>The URL of the default vhost: <c>amqp://guest:guest@127.0.0.1:PORT/</c>.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"amqp://guest:guest@127.0.0.1:{Port}/");

    /// <summary>
    /// The AMQPS URL of the default vhost, <c>amqps://guest:guest@localhost:TLSPORT/</c> (the host name a
    /// certificate for localhost matches), when the TLS listener is on; null otherwise.
    /// </summary>
    public string? TlsUrl => TlsPort is { } tlsPort ? string.Create(CultureInfo.InvariantCulture, $"amqps://guest:guest@localhost:{tlsPort}/") : null;

    /// <summary>How long the last start (or restart) took, from launching the node to its boot completing.</summary>
    public TimeSpan BootTime { get; private set; }

    /// <summary>The pid of the node's Erlang VM (beam) while it runs.</summary>
    public int? NodeProcessId
    {
        get
        {
            lock (_gate)
            {
                return _node is { HasExited: false } node ? node.Id : null;
            }
        }
    }

    /// <summary>The pid of the epmd this broker started, while it runs.</summary>
    public int? EpmdProcessId
    {
        get
        {
            lock (_gate)
            {
                return _epmd is { HasExited: false } epmd ? epmd.Id : null;
            }
        }
    }

    /// <summary>Whether the node's VM process is alive (it may be paused).</summary>
    public bool IsRunning => NodeProcessId is not null;

    /// <summary>Whether <see cref="Pause"/> stopped the node and <see cref="Resume"/> has not yet continued it.</summary>
    public bool IsPaused { get; private set; }

    /// <summary>True when RabbitMQ's scripts are found (Debian's rabbitmq-server package, or RABBITMQ_SCRIPTS_DIR).</summary>
    public static bool IsInstalled
    {
        get
        {
            try
            {
                FindScripts(new RabbitMqBrokerOptions());
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>Starts a node and returns once it has booted (its AMQP listener accepts connections).</summary>
    /// <exception cref="InvalidOperationException">RabbitMQ or epmd is missing, or the node did not boot within
    /// <see cref="RabbitMqBrokerOptions.StartTimeout"/>; the message carries the tail of the node's log.</exception>
    /// <exception cref="ArgumentException">Only some of the TLS files are set, one is missing, or
    /// <see cref="RabbitMqBrokerOptions.ExternalAuth"/> is set without them.</exception>
    public static async Task<RabbitMqBroker> StartAsync(RabbitMqBrokerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RabbitMqBrokerOptions();
        var tls = TlsEnabled(options);
        var scripts = FindScripts(options);
        var (port, tlsPort, epmdPort, distributionPort) = FreePorts(options.Port, tls);
        var directory = options.TempRoot is null
            ? Directory.CreateTempSubdirectory("rkv-rabbitmq-").FullName
            : Directory.CreateDirectory(Path.Combine(options.TempRoot, "rkv-rabbitmq-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)))).FullName;
        var broker = new RabbitMqBroker(options, scripts, directory, port, tlsPort, epmdPort, distributionPort);
        try
        {
            broker.WriteFiles();
            broker.StartWatchdog();
            await broker.StartEpmdAsync(cancellationToken).ConfigureAwait(false);
            await broker.StartNodeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return broker;
    }

    /// <summary>The URL of <paramref name="vhost"/> on this broker (percent-encoded), as user guest.</summary>
    public string VhostUrl(string vhost) => Url + Uri.EscapeDataString(vhost);

    /// <summary>Creates <paramref name="vhost"/>, gives guest all permissions on it and returns its URL.</summary>
    public async Task<string> AddVhostAsync(string vhost, CancellationToken cancellationToken = default)
    {
        await RunCtlAsync(["add_vhost", vhost], cancellationToken).ConfigureAwait(false);
        await RunCtlAsync(["set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], cancellationToken).ConfigureAwait(false);
        return VhostUrl(vhost);
    }

    /// <summary>Runs <c>rabbitmqctl -n NODE args…</c> against this node and returns its stdout.</summary>
    /// <exception cref="InvalidOperationException">rabbitmqctl exited non-zero (the message has its output).</exception>
    /// <exception cref="TimeoutException">It took longer than <see cref="RabbitMqBrokerOptions.CtlTimeout"/>.</exception>
    public Task<string> RunCtlAsync(params string[] args) => RunCtlAsync(args, CancellationToken.None);

    /// <summary>Runs <c>rabbitmqctl -n NODE args…</c> against this node and returns its stdout.</summary>
    /// <exception cref="InvalidOperationException">rabbitmqctl exited non-zero (the message has its output).</exception>
    /// <exception cref="TimeoutException">It took longer than <see cref="RabbitMqBrokerOptions.CtlTimeout"/>.</exception>
    public Task<string> RunCtlAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return RunCtlCoreAsync([.. args], _options.CtlTimeout, cancellationToken);
    }

    /// <summary>Kills the node's VM with SIGKILL (a crash: no clean shutdown); epmd and the data stay for
    /// <see cref="RestartAsync"/>.</summary>
    public void Kill()
    {
        Process? node;
        lock (_gate)
        {
            node = _node;
            _node = null;
        }

        if (node is null)
        {
            return;
        }

        try
        {
            if (!node.HasExited)
            {
                node.Kill();
                node.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        finally
        {
            node.Dispose();
            IsPaused = false;
            WriteOwnedPids();
        }
    }

    /// <summary>
    /// Suspends the node's VM with SIGSTOP: connections stay open but nothing answers (heartbeat tests). Returns once
    /// every thread of the VM has stopped (on Linux, read from /proc): the signal is only queued when kill returns, and
    /// on a loaded machine a scheduler thread could otherwise still answer a request sent just after.
    /// </summary>
    public void Pause()
    {
        Signal(SigStop);
        IsPaused = true;
        if (OperatingSystem.IsLinux())
        {
            WaitUntilStopped(NodeProcessId!.Value, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Continues a node suspended by <see cref="Pause"/> (SIGCONT).</summary>
    public void Resume()
    {
        Signal(SigCont);
        IsPaused = false;
    }

    /// <summary>
    /// Starts the node again on the same port, name and data directory, so durable queues and their persistent
    /// messages survive; stops it gracefully first if it still runs. After <see cref="Kill"/> the node recovers as
    /// RabbitMQ does from a crash: RabbitMQ 3.10.8 has been seen to lose a durable queue declared just before the kill.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await StopNodeAsync().ConfigureAwait(false);
        if (_epmd is not { HasExited: false })
        {
            await StartEpmdAsync(cancellationToken).ConfigureAwait(false);
        }

        await StartNodeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the node gracefully (SIGTERM, then SIGKILL after <see cref="RabbitMqBrokerOptions.StopTimeout"/>) and the
    /// epmd it started, both by pid. The data directory stays until dispose, so <see cref="RestartAsync"/> still works.
    /// </summary>
    public async Task StopAsync()
    {
        await StopNodeAsync().ConfigureAwait(false);
        StopEpmd();
    }

    /// <summary>Stops the node and its epmd (<see cref="StopAsync"/>) and removes the temp directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            StopWatchdog();
            DeleteDirectory();
        }
    }

    /// <inheritdoc />
    public override string ToString() => TlsPort is { } tlsPort
        ? $"RabbitMQ {NodeName} on 127.0.0.1:{Port}, TLS :{tlsPort} ({DataDirectory})"
        : $"RabbitMQ {NodeName} on 127.0.0.1:{Port} ({DataDirectory})";

    // ---- start ----

    private static string FindScripts(RabbitMqBrokerOptions options)
    {
        var candidates = new List<string?>
        {
            options.ScriptsDirectory,
            Environment.GetEnvironmentVariable("RABBITMQ_SCRIPTS_DIR"),
            "/usr/lib/rabbitmq/bin",
            "/opt/homebrew/opt/rabbitmq/sbin",
            "/usr/local/opt/rabbitmq/sbin",
            "/opt/rabbitmq/sbin",
        };
        foreach (var directory in candidates)
        {
            if (!string.IsNullOrEmpty(directory) && File.Exists(Path.Combine(directory, "rabbitmq-server")) && File.Exists(Path.Combine(directory, "rabbitmqctl")))
            {
                return directory;
            }

            if (directory is not null && directory == options.ScriptsDirectory)
            {
                throw new InvalidOperationException($"No rabbitmq-server and rabbitmqctl in {directory}.");
            }
        }

        throw new InvalidOperationException(
            "RabbitMQ is not installed (apt-get install rabbitmq-server; .ci/run does it), or set RabbitMqBrokerOptions.ScriptsDirectory "
            + "or RABBITMQ_SCRIPTS_DIR to the folder holding its rabbitmq-server and rabbitmqctl scripts.");
    }

    /// <summary>Whether the options ask for a TLS listener; half a TLS setup is an error, and so is EXTERNAL without one.</summary>
    private static bool TlsEnabled(RabbitMqBrokerOptions options)
    {
        string?[] files = [options.TlsCertificateFile, options.TlsKeyFile, options.TlsCaFile];
        var set = files.Count(f => f is not null);
        if (set is not 0 and not 3)
        {
            throw new ArgumentException("A TLS listener needs all of TlsCertificateFile, TlsKeyFile and TlsCaFile.", nameof(options));
        }

        if (options.ExternalAuth && set == 0)
        {
            throw new ArgumentException("ExternalAuth needs the TLS listener (TlsCertificateFile, TlsKeyFile, TlsCaFile).", nameof(options));
        }

        foreach (var file in files)
        {
            if (file is not null && !File.Exists(file))
            {
                throw new ArgumentException($"The TLS file {file} does not exist.", nameof(options));
            }
        }

        return set == 3;
    }

    /// <summary>Distinct free loopback ports (AMQP, AMQPS when asked, epmd, distribution), probed while all are held.</summary>
    private static (int Port, int? TlsPort, int Epmd, int Distribution) FreePorts(int? port, bool tls)
    {
        var probes = new List<Socket>();
        try
        {
            int Next()
            {
                var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probes.Add(probe);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                return ((IPEndPoint)probe.LocalEndPoint!).Port;
            }

            return (port ?? Next(), tls ? Next() : null, Next(), Next());
        }
        finally
        {
            foreach (var probe in probes)
            {
                probe.Dispose();
            }
        }
    }

    private string PidFile => Path.Combine(DataDirectory, "rabbitmq.pid");

    private string OwnedPidsFile => Path.Combine(DataDirectory, "owned.pids");

    private void WriteFiles()
    {
        Directory.CreateDirectory(Path.Combine(DataDirectory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(DataDirectory, "log"));
        var config = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"listeners.tcp.default = 127.0.0.1:{Port}\n")
            .Append("log.console = false\n")
            .Append("log.file.level = info\n")
            .Append("disk_free_limit.absolute = 1MB\n");
        var plugins = _options.Plugins.ToList();
        if (TlsPort is { } tlsPort)
        {
            config
                .Append(CultureInfo.InvariantCulture, $"listeners.ssl.default = 127.0.0.1:{tlsPort}\n")
                .Append(CultureInfo.InvariantCulture, $"ssl_options.cacertfile = {Path.GetFullPath(_options.TlsCaFile!)}\n")
                .Append(CultureInfo.InvariantCulture, $"ssl_options.certfile = {Path.GetFullPath(_options.TlsCertificateFile!)}\n")
                .Append(CultureInfo.InvariantCulture, $"ssl_options.keyfile = {Path.GetFullPath(_options.TlsKeyFile!)}\n")
                .Append("ssl_options.verify = verify_peer\n")
                .Append(_options.TlsRequireClientCertificate ? "ssl_options.fail_if_no_peer_cert = true\n" : "ssl_options.fail_if_no_peer_cert = false\n");
        }

        if (_options.ExternalAuth)
        {
            config
                .Append("auth_mechanisms.1 = PLAIN\n")
                .Append("auth_mechanisms.2 = EXTERNAL\n")
                .Append("ssl_cert_login_from = common_name\n");
            plugins.Add("rabbitmq_auth_mechanism_ssl");
        }

        foreach (var line in _options.ConfigLines)
        {
            config.Append(line).Append('\n');
        }

        File.WriteAllText(Path.Combine(DataDirectory, "rabbitmq.conf"), config.ToString());
        File.WriteAllText(Path.Combine(DataDirectory, "enabled_plugins"), $"[{string.Join(',', plugins.Distinct(StringComparer.Ordinal))}].\n");
        File.WriteAllText(Path.Combine(DataDirectory, "rabbitmq-env.conf"), string.Empty);

        // The cookie is written before anything starts, so the node and rabbitmqctl never race to create it.
        var cookie = Path.Combine(DataDirectory, ".erlang.cookie");
        var letters = new char[20];
        for (var i = 0; i < letters.Length; i++)
        {
            letters[i] = (char)('A' + RandomNumberGenerator.GetInt32(26));
        }

        File.WriteAllText(cookie, new string(letters));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }

        WriteOwnedPids();
    }

    /// <summary>The node's environment: everything under the temp directory, nothing from the system's RabbitMQ setup.</summary>
    private void SetEnvironment(ProcessStartInfo start)
    {
        var environment = start.Environment;
        foreach (var key in environment.Keys.ToList())
        {
            if (key.StartsWith("RABBITMQ_", StringComparison.Ordinal) || key.StartsWith("ERL_", StringComparison.Ordinal) || key is "NOTIFY_SOCKET" or "CONF_ENV_FILE")
            {
                environment.Remove(key);
            }
        }

        var loopbackOnly = "-kernel inet_dist_use_interface {127,0,0,1}";
        environment["HOME"] = DataDirectory;
        environment["RABBITMQ_NODENAME"] = NodeName;
        environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(DataDirectory, "rabbitmq-env.conf");
        environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(DataDirectory, "rabbitmq.conf");
        environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(DataDirectory, "advanced.config");
        environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(DataDirectory, "enabled_plugins");
        environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(DataDirectory, "mnesia");
        environment["RABBITMQ_LOG_BASE"] = Path.Combine(DataDirectory, "log");
        environment["RABBITMQ_PID_FILE"] = PidFile;
        environment["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(CultureInfo.InvariantCulture);
        environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = loopbackOnly;
        environment["RABBITMQ_CTL_ERL_ARGS"] = loopbackOnly;
        environment["ERL_EPMD_PORT"] = EpmdPort.ToString(CultureInfo.InvariantCulture);
        environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";

        // rabbitmq-server then execs the VM instead of staying as a signal-forwarding shell, so the process we
        // start is the beam itself: Kill, Pause and Resume signal it directly. (No NOTIFY_SOCKET: nothing is sent.)
        environment["RUNNING_UNDER_SYSTEMD"] = "true";
    }

    private async Task StartEpmdAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_options.Epmd)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DataDirectory,
        };
        start.ArgumentList.Add("-port");
        start.ArgumentList.Add(EpmdPort.ToString(CultureInfo.InvariantCulture));
        SetEnvironment(start);
        Process epmd;
        try
        {
            epmd = Process.Start(start) ?? throw new InvalidOperationException("epmd did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot run {_options.Epmd} (it comes with Erlang: apt-get install rabbitmq-server).", e);
        }

        epmd.OutputDataReceived += (_, e) => Remember("epmd: ", e.Data);
        epmd.ErrorDataReceived += (_, e) => Remember("epmd: ", e.Data);
        epmd.BeginOutputReadLine();
        epmd.BeginErrorReadLine();
        lock (_gate)
        {
            _epmd = epmd;
        }

        WriteOwnedPids();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (epmd.HasExited)
            {
                throw new InvalidOperationException($"epmd -port {EpmdPort} exited with code {epmd.ExitCode}.{OutputTail()}");
            }

            if (await AcceptsAsync(EpmdPort, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"epmd did not listen on 127.0.0.1:{EpmdPort} within 10 s.{OutputTail()}");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task StartNodeAsync(CancellationToken cancellationToken)
    {
        File.Delete(PidFile);
        var start = new ProcessStartInfo(Path.Combine(_scripts, "rabbitmq-server"))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DataDirectory,
        };
        SetEnvironment(start);

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var node = new Process { StartInfo = start };
        node.OutputDataReceived += (_, e) =>
        {
            Remember(string.Empty, e.Data);
            if (e.Data?.Contains(ReadyBanner, StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        node.ErrorDataReceived += (_, e) => Remember(string.Empty, e.Data);
        try
        {
            node.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            node.Dispose();
            throw new InvalidOperationException($"Cannot run {start.FileName}.", e);
        }

        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        lock (_gate)
        {
            _node = node;
        }

        WriteOwnedPids();

        // Booted: the banner on stdout, or `rabbitmqctl wait` (which also follows the pid file), whichever comes first.
        using var waitCancel = new CancellationTokenSource();
        var timeoutSeconds = ((int)Math.Ceiling(_options.StartTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        _ = RunCtlCoreAsync(["wait", PidFile, "--timeout", timeoutSeconds], _options.StartTimeout, waitCancel.Token)
            .ContinueWith(t => _ = t.IsCompletedSuccessfully && ready.TrySetResult(), TaskScheduler.Default);
        _ = node.WaitForExitAsync(CancellationToken.None).ContinueWith(
            _ => ready.TrySetException(BootFailure($"exited with code {ExitCode(node)} while booting")),
            TaskScheduler.Default);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.StartTimeout);
        try
        {
            await ready.Task.WaitAsync(limit.Token).ConfigureAwait(false);
            BootTime = clock.Elapsed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw BootFailure($"did not boot within {_options.StartTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            Kill();
            throw;
        }
        finally
        {
            await waitCancel.CancelAsync().ConfigureAwait(false);
        }
    }

    private static string ExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private InvalidOperationException BootFailure(string what)
    {
        string log;
        try
        {
            var lines = File.ReadAllLines(LogFile);
            log = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 30)));
        }
        catch (IOException e)
        {
            log = $"(no log: {e.Message})";
        }

        return new InvalidOperationException($"RabbitMQ node {NodeName} (port {Port}, {DataDirectory}) {what}.\nLog tail ({LogFile}):\n{log}{OutputTail()}");
    }

    private void Remember(string prefix, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(prefix + line);
            while (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    private string OutputTail()
    {
        lock (_output)
        {
            return _output.Count == 0 ? string.Empty : "\nOutput tail:\n" + string.Join('\n', _output);
        }
    }

    // ---- rabbitmqctl ----

    private async Task<string> RunCtlCoreAsync(string[] args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path.Combine(_scripts, "rabbitmqctl"))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DataDirectory,
        };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(NodeName);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        SetEnvironment(start);
        using var ctl = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
        ctl.StandardInput.Close();
        var stdout = ctl.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = ctl.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await ctl.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                ctl.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"rabbitmqctl {string.Join(' ', args)} took longer than {timeout.TotalSeconds:0.#} s.");
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (ctl.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed with exit code {ctl.ExitCode}:\n{errors}{output}");
        }

        return output;
    }

    // ---- stop ----

    private async Task StopNodeAsync()
    {
        Process? node;
        lock (_gate)
        {
            node = _node;
        }

        if (node is null)
        {
            return;
        }

        try
        {
            if (!node.HasExited)
            {
                if (IsPaused)
                {
                    Resume();
                }

                Send(node.Id, SigTerm);
                using var limit = new CancellationTokenSource(_options.StopTimeout);
                await node.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Not stopped in time: killed below.
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }

        Kill();
    }

    private void StopEpmd()
    {
        Process? epmd;
        lock (_gate)
        {
            epmd = _epmd;
            _epmd = null;
        }

        if (epmd is null)
        {
            return;
        }

        try
        {
            if (!epmd.HasExited)
            {
                epmd.Kill();
                epmd.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        finally
        {
            epmd.Dispose();
            WriteOwnedPids();
        }
    }

    private void DeleteDirectory()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(DataDirectory))
                {
                    Directory.Delete(DataDirectory, recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(50);
            }
        }
    }

    // ---- watchdog ----

    /// <summary>
    /// A <c>sh</c> that blocks reading a pipe only this process holds; when this process dies the pipe closes, and it
    /// kills the pids listed in <see cref="OwnedPidsFile"/> (the node and its epmd) and removes the directory.
    /// Disposal kills it first, so it never acts on pids that are no longer ours.
    /// </summary>
    private void StartWatchdog()
    {
        if (!_options.Watchdog || OperatingSystem.IsWindows())
        {
            return;
        }

        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            WorkingDirectory = "/",
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("cat >/dev/null; for p in $(cat \"$1\" 2>/dev/null); do kill -CONT \"$p\" 2>/dev/null; kill -KILL \"$p\" 2>/dev/null; done; rm -rf \"$2\"");
        start.ArgumentList.Add("rkv-rabbitmq-watchdog");
        start.ArgumentList.Add(OwnedPidsFile);
        start.ArgumentList.Add(DataDirectory);
        _watchdog = Process.Start(start);
    }

    private void StopWatchdog()
    {
        var watchdog = _watchdog;
        _watchdog = null;
        if (watchdog is null)
        {
            return;
        }

        try
        {
            if (!watchdog.HasExited)
            {
                watchdog.Kill(entireProcessTree: true);
                watchdog.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        finally
        {
            watchdog.Dispose();
        }
    }

    private void WriteOwnedPids()
    {
        string pids;
        lock (_gate)
        {
            pids = string.Join(' ', new[] { _node, _epmd }.Where(p => p is not null).Select(p => p!.Id.ToString(CultureInfo.InvariantCulture)));
        }

        try
        {
            var temp = OwnedPidsFile + ".tmp";
            File.WriteAllText(temp, pids + "\n");
            File.Move(temp, OwnedPidsFile, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The directory is going away.
        }
    }

    // ---- signals ----

    private static int SigTerm => 15;

    private static int SigStop => OperatingSystem.IsLinux() ? 19 : 17;

    private static int SigCont => OperatingSystem.IsLinux() ? 18 : 19;

    private void Signal(int signal)
    {
        var pid = NodeProcessId ?? throw new InvalidOperationException("The RabbitMQ node is not running.");
        Send(pid, signal);
    }

    private static void WaitUntilStopped(int pid, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!AllThreadsStopped(pid))
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"The RabbitMQ node (pid {pid}) was sent SIGSTOP but had not stopped after {limit.TotalSeconds:0} s.");
            }

            Thread.Sleep(1);
        }

        static bool AllThreadsStopped(int pid)
        {
            try
            {
                // The state is the field after the command name, which is in parentheses and may contain spaces.
                return Directory.EnumerateDirectories($"/proc/{pid}/task").All(task =>
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    return stat[stat.LastIndexOf(')') + 2] is 'T' or 't';
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false; // a thread that ended while being read: look again
            }
        }
    }

    private static void Send(int pid, int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Signals need a Unix system.");
        }

        if (Native.Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Kill(int pid, int signal);
    }
}
