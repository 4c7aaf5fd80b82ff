using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>How a <see cref="Reactor"/> is built.</summary>
public sealed record ReactorOptions
{
    /// <summary>Number of event loops; 0 means one per processor.</summary>
    public int LoopCount { get; init; }

    /// <summary>A virtual clock (for example <see cref="Testing.TestScheduler"/>) for deterministic tests; null uses real time.</summary>
    public IScheduler? Clock { get; init; }

    /// <summary>Where the reactor logs; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Default socket options and limits for new connections.</summary>
    public TransportOptions Transport { get; init; } = TransportOptions.Default;

    /// <summary>Default connect timeout (Twisted: 30 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Loops poll TCP and Unix sockets themselves with epoll (Linux), Twisted's epollreactor model: no thread hop
    /// between the kernel and a protocol; TLS runs over that transport too. False (or another platform, or the
    /// environment variable <c>REACTIVEKV_NATIVE_POLLING=0</c>) uses receive and send pumps on the thread pool.
    /// </summary>
    public bool NativePolling { get; init; } = true;

    /// <summary>
    /// Twisted's model for <c>await</c>: when code with no synchronization context (the thread pool) awaits a
    /// <see cref="Deferred{T}"/>, the code after the <c>await</c> runs on the loop thread that produced the result,
    /// and stays there, instead of hopping back to the thread pool. It saves two thread wake-ups per round trip for a
    /// caller that awaits one result at a time, but that code then runs on the reactor: it must not block or compute
    /// for long (blocking on a result there fails fast with <see cref="BlockingCallOnReactorThreadException"/>).
    /// Off by default, as in StackExchange.Redis, so a slow continuation can never stall every connection of a loop.
    /// It rules observers subscribed off the loops too (and so <c>await</c> through Rx's own awaiter): off, they get
    /// what a loop produces on the thread pool; on, inline on the loop (see <see cref="OffLoopObservable.ObserveOffLoop{T}"/>).
    /// </summary>
    public bool ResumeAwaitersOnLoop { get; init; }

    /// <summary>
    /// What the reactor runs on: null for its own loops (a thread each, polling with epoll), or another backend such as
    /// ReactiveKv.Reactor.DotNetty's, whose loops, timers and channels are DotNetty's. Everything else is unchanged.
    /// Defaults to <see cref="ReactorBackend.Default"/>, which an entry point's <c>--reactor</c> sets.
    /// </summary>
    public ReactorBackend? Backend { get; init; } = ReactorBackend.Default;

    /// <summary>Thread name prefix of the loops.</summary>
    public string Name { get; init; } = "reactor";
}
