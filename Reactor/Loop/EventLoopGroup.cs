using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace ReactiveKv;

/// <summary>
/// N event loops. Each connection is bound to one loop for its whole life and all its callbacks run there;
/// new connections are spread round-robin.
/// </summary>
public sealed class EventLoopGroup : IDisposable
{
    private readonly EventLoop[] _loops;
    private readonly IDisposable? _host;
    private int _next = -1;

    /// <summary>Groups loops made elsewhere (hosted on another reactor's executors); <paramref name="host"/>, if any, is shut down after them.</summary>
    internal EventLoopGroup(IReadOnlyList<EventLoop> loops, IDisposable? host)
    {
        if (loops.Count == 0)
        {
            throw new ArgumentException("A group needs at least one loop.", nameof(loops));
        }

        _loops = [.. loops];
        _host = host;
    }

    /// <summary>Creates <paramref name="count"/> loops (default: one per processor).</summary>
    /// <param name="count">Number of loops; 0 means one per processor.</param>
    /// <param name="clock">A virtual clock for tests; null uses real time.</param>
    /// <param name="logger">Where unhandled callback errors are logged.</param>
    /// <param name="name">Thread name prefix.</param>
    /// <param name="nativePolling">Let loops poll plain sockets with epoll where available (see <see cref="EventLoop"/>).</param>
    public EventLoopGroup(int count = 0, IScheduler? clock = null, ILogger? logger = null, string name = "reactor", bool nativePolling = true)
    {
        if (count <= 0)
        {
            count = Environment.ProcessorCount;
        }

        _loops = new EventLoop[count];
        for (var i = 0; i < count; i++)
        {
            _loops[i] = new EventLoop($"{name}-{i}", clock, logger, nativePolling);
        }
    }

    /// <summary>Sets <see cref="EventLoop.ResumeAwaitersOnLoop"/> on every loop.</summary>
    public bool ResumeAwaitersOnLoop
    {
        get => _loops[0].ResumeAwaitersOnLoop;
        init
        {
            foreach (var loop in _loops)
            {
                loop.ResumeAwaitersOnLoop = value;
            }
        }
    }

    /// <summary>Number of loops.</summary>
    public int Count => _loops.Length;

    /// <summary>The loop at <paramref name="index"/>.</summary>
    public EventLoop this[int index] => _loops[index];

    /// <summary>The next loop, round-robin; used to place a new connection.</summary>
    public EventLoop Next()
    {
        var n = (uint)Interlocked.Increment(ref _next);
        return _loops[n % (uint)_loops.Length];
    }

    /// <summary>
    /// <paramref name="chosen"/> when a caller placed a connection on a loop of its own choosing, else <see cref="Next"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="chosen"/> is not one of this group's loops.</exception>
    public EventLoop Pick(EventLoop? chosen)
    {
        if (chosen is null)
        {
            return Next();
        }

        return Array.IndexOf(_loops, chosen) >= 0
            ? chosen
            : throw new ArgumentException("The chosen loop is not one of this reactor's loops.", nameof(chosen));
    }

    /// <summary>Starts every loop.</summary>
    public void Start()
    {
        foreach (var loop in _loops)
        {
            loop.Start();
        }
    }

    /// <summary>Stops every loop.</summary>
    public void Stop()
    {
        foreach (var loop in _loops)
        {
            loop.Stop();
        }

        _host?.Dispose();
    }

    /// <summary>Stops and releases every loop.</summary>
    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }

        _host?.Dispose();
    }
}
