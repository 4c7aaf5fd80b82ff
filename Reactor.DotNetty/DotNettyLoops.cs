using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using System.Reactive.Concurrency;

namespace ReactiveKv.DotNetty;

/// <summary>Builds the reactor's loops over a DotNetty group (one hosted <see cref="EventLoop"/> per DotNetty loop) and finds them again.</summary>
internal static class DotNettyLoops
{
    public static List<EventLoop> Create(IEventLoopGroup group, string name, IScheduler? clock, ILogger logger, bool resumeAwaitersOnLoop)
    {
        var loops = new List<EventLoop>();
        var index = 0;
        foreach (var executor in group.Items)
        {
            if (executor is IEventLoop loop)
            {
                loops.Add(new EventLoop(new DotNettyLoopHost(loop), $"{name}-dotnetty-{index++}", clock, logger) { ResumeAwaitersOnLoop = resumeAwaitersOnLoop });
            }
        }

        return loops;
    }

    /// <summary>The DotNetty loop a reactor loop runs on.</summary>
    /// <exception cref="ArgumentException">The loop is not hosted on DotNetty (a loop of another reactor).</exception>
    public static IEventLoop ExecutorOf(EventLoop loop) =>
        loop.Host is DotNettyLoopHost host
            ? host.Executor
            : throw new ArgumentException($"The loop is not a DotNetty reactor's loop; connections of a DotNetty reactor need one of its loops.", nameof(loop));

    /// <summary>Maps each DotNetty loop of a group's reactor loops back to its reactor loop, for channels DotNetty placed itself.</summary>
    public static Dictionary<IEventLoop, EventLoop> ByExecutor(EventLoopGroup loops)
    {
        var map = new Dictionary<IEventLoop, EventLoop>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < loops.Count; i++)
        {
            map[ExecutorOf(loops[i])] = loops[i];
        }

        return map;
    }
}
